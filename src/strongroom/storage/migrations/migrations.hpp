#pragma once

#include <span>

#include "strongroom/storage/store.hpp"

namespace strongroom::storage {

// Every schema migration of this build, in order. Add new ones at the end; never edit one that
// has shipped (a store records each applied migration's name and refuses to open if they differ).
std::span<const Migration> AllMigrations();

}  // namespace strongroom::storage
