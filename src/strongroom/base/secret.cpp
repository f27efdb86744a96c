#include "strongroom/base/secret.hpp"

#include <string.h>  // explicit_bzero (glibc), which the optimiser may not remove.

namespace strongroom::base {

void SecureWipe(void* data, std::size_t size) {
  if (data != nullptr && size != 0) explicit_bzero(data, size);
}

}  // namespace strongroom::base
