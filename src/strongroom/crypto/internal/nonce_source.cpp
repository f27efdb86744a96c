#include "strongroom/crypto/internal/nonce_source.hpp"

#include <pthread.h>

#include <array>
#include <atomic>
#include <cstring>

#include "strongroom/base/check.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto::internal {
namespace {

// Incremented in the child of every fork(); a buffer filled under another generation is stale.
std::atomic<std::uint64_t> fork_generation{0};

void OnForkInChild() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

bool RegisterForkHandler() { return pthread_atfork(nullptr, nullptr, OnForkInChild) == 0; }

struct NoncePool {
  static constexpr std::size_t kNonces = 340;
  std::array<std::uint8_t, kNonces * kGcmNonceSize> bytes{};
  std::size_t next = kNonces;  // Empty until first use.
  std::uint64_t generation = 0;
};

thread_local NoncePool pool;

}  // namespace

void DrawNonce(GcmNonce& nonce) {
  static const bool registered = RegisterForkHandler();
  SR_CHECK(registered);
  const std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (pool.next == NoncePool::kNonces || pool.generation != generation) {
    FillRandom(pool.bytes);
    pool.next = 0;
    pool.generation = generation;
  }
  std::uint8_t* slot = pool.bytes.data() + pool.next * kGcmNonceSize;
  std::memcpy(nonce.data(), slot, kGcmNonceSize);
  // Zeroed once handed out, so no code path can hand the same bytes out twice.
  std::memset(slot, 0, kGcmNonceSize);
  ++pool.next;
}

}  // namespace strongroom::crypto::internal
