#pragma once

#include <span>

#include "strongroom/base/embedded_file.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// The browser UI's files (web/, built by Vite and embedded by scripts/embed_files.py --dir
// --gzip): index.html, assets/<name>-<hash>.<ext>, and NAME.gz beside each file gzip shrinks.
std::span<const base::EmbeddedFile> WebAssets();

// The Content-Security-Policy of the UI's page: scripts, styles, images, fonts and API calls
// from this origin only; images also from blob: (the enrolment QR code, made in the page from
// the SVG the API returns). No inline script or style, no eval, no frames, no plugins.
inline constexpr const char* kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Serves `files` without authentication (they are the same for everyone and hold no data):
// GET / and GET /index.html answer index.html with kWebContentSecurityPolicy and no caching;
// GET /assets/{file} answers that file, cacheable for a year (its name changes with its
// content). A client that accepts gzip gets the NAME.gz form when there is one. Answered on the
// network thread (the bytes are in memory). `files` must outlive the router; without an
// index.html no route is added.
void AddWebRoutes(Router& router, std::span<const base::EmbeddedFile> files);

}  // namespace strongroom::http
