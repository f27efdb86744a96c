#pragma once

#include <memory>

#include "strongroom/http/message.hpp"
#include "strongroom/vault/files.hpp"

namespace strongroom::http {

// The request body as the vault's upload source.
class RequestBody final : public vault::ByteSource {
 public:
  explicit RequestBody(BodyReader& reader) : reader_(reader) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override { return reader_.Read(out); }

 private:
  BodyReader& reader_;
};

// A vault download as the response body.
class FileBody final : public BodySource {
 public:
  explicit FileBody(std::unique_ptr<vault::FileReader> reader) : reader_(std::move(reader)) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    return reader_->Read(out);
  }

 private:
  std::unique_ptr<vault::FileReader> reader_;
};

}  // namespace strongroom::http
