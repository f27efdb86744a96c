// Prints the nonces of N fresh seals, one hex line each: aead_test runs this program several times
// to show that separate processes (restarts) never repeat a nonce.
#include <cstdio>
#include <cstdlib>

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/aead.hpp"

int main(int argc, char** argv) {
  using namespace strongroom;
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1000;
  crypto::Aes256Key key;  // All zero: the key does not matter for the nonces.
  for (long i = 0; i < n; ++i) {
    const base::Bytes ct = crypto::AeadSeal(key, crypto::KeyRef{1, 1}, {}, {});
    const auto header = crypto::ParseCiphertextHeader(ct);
    std::printf("%s\n", base::HexEncode(header->nonce).c_str());
  }
  return 0;
}
