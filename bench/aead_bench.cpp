// AEAD seal/open throughput; bench/run.sh compares it with `openssl speed -aead -evp aes-256-gcm`
// on the same machine in the same run.
#include <benchmark/benchmark.h>

#include "strongroom/crypto/aead.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {
namespace {

Aes256Key BenchKey() {
  Aes256Key key;
  FillRandom(key.mutable_value());
  return key;
}

constexpr KeyRef kRef{7, 1};
// What the vault binds into every ciphertext: tenant, collection, record, version.
const base::Bytes kAad = base::ToBytes("ten_0123456789abcdef|contacts|rec_0123456789abcdef|1");

// The full envelope: fresh random nonce, versioned header, header and AAD authenticated.
void BM_AeadSeal(benchmark::State& state) {
  const Aes256Key key = BenchKey();
  const base::Bytes plaintext(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) {
    base::Bytes ct = AeadSeal(key, kRef, kAad, plaintext);
    benchmark::DoNotOptimize(ct.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_AeadOpen(benchmark::State& state) {
  const Aes256Key key = BenchKey();
  const base::Bytes plaintext(static_cast<std::size_t>(state.range(0)), 0x5a);
  const base::Bytes ct = AeadSeal(key, kRef, kAad, plaintext);
  for (auto _ : state) {
    auto pt = AeadOpen(key, kRef, kAad, ct);
    benchmark::DoNotOptimize(pt->data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

// The bare primitive with a fixed nonce (never do this outside a benchmark): isolates what the
// envelope adds.
void BM_AesGcmEncryptRaw(benchmark::State& state) {
  const Aes256Key key = BenchKey();
  const GcmNonce nonce{};
  const base::Bytes plaintext(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) {
    base::Bytes ct = AesGcmEncrypt(key, nonce, kAad, plaintext);
    benchmark::DoNotOptimize(ct.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_NonceDraw(benchmark::State& state) {
  GcmNonce nonce;
  for (auto _ : state) {
    FillRandom(nonce);
    benchmark::DoNotOptimize(nonce.data());
  }
}

BENCHMARK(BM_AeadSeal)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_AeadOpen)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_AesGcmEncryptRaw)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_NonceDraw);

}  // namespace
}  // namespace strongroom::crypto

BENCHMARK_MAIN();
