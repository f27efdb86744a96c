#pragma once

namespace strongroom::crypto::internal {

// Initialises libsodium once per process (thread-safe); aborts if it cannot, since no
// cryptographic operation may run on an uninitialised library.
void EnsureSodium();

}  // namespace strongroom::crypto::internal
