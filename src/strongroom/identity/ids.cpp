#include "strongroom/identity/ids.hpp"

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::identity {

std::string NewRandomId(std::string_view prefix) {
  std::string id(prefix);
  id += '_';
  id += base::HexEncode(crypto::RandomArray<16>());
  return id;
}

}  // namespace strongroom::identity
