#pragma once

#include "strongroom/crypto/aes_gcm.hpp"

namespace strongroom::crypto::internal {

// A fresh random 96-bit GCM nonce. Each thread keeps a buffer of kernel randomness (getrandom)
// and hands it out 12 bytes at a time, so the system call is paid once per ~340 nonces instead of
// on every seal. Every nonce is still drawn from the kernel CSPRNG and used once. After fork()
// the child discards the buffer it inherited (pthread_atfork), so parent and child can never hand
// out the same bytes. Thread-safe (per-thread state).
void DrawNonce(GcmNonce& nonce);

}  // namespace strongroom::crypto::internal
