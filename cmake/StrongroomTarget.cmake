# Compiler flags shared by every Strongroom target, and helpers that declare a module's library
# and its test binary the same way everywhere (sources listed by hand; dependencies explicit).

add_library(strongroom_flags INTERFACE)
target_compile_options(strongroom_flags INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2
  # Designated initializers that rely on member defaults are intended, not a mistake.
  -Wno-missing-field-initializers
  -fstack-protector-strong -D_GLIBCXX_ASSERTIONS)
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_definitions(strongroom_flags INTERFACE _FORTIFY_SOURCE=2)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(strongroom_flags INTERFACE -Wthread-safety)
endif()
target_link_options(strongroom_flags INTERFACE -Wl,-z,relro,-z,now)
if(STRONGROOM_FUZZ)
  target_compile_options(strongroom_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(strongroom_flags INTERFACE -fsanitize=address,undefined)
endif()
if(STRONGROOM_SANITIZE)
  target_compile_options(strongroom_flags INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(strongroom_flags INTERFACE -fsanitize=address,undefined)
endif()

# strongroom_module(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Declares the library target strongroom_<name>.
function(strongroom_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(strongroom_${name} STATIC ${ARG_SOURCES})
  target_include_directories(strongroom_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(strongroom_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE strongroom_flags ${ARG_PRIVATE_DEPS})
endfunction()

# strongroom_module_test(<name> SOURCES ... [DEPS ...] [DEFINITIONS ...] [TIMEOUT seconds])
# Declares the GoogleTest binary strongroom_<name>_test and registers every case with ctest.
# DEFINITIONS become compile definitions (e.g. paths to test data).
function(strongroom_module_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;DEFINITIONS" ${ARGN})
  add_executable(strongroom_${name}_test ${ARG_SOURCES})
  target_link_libraries(strongroom_${name}_test PRIVATE strongroom_flags strongroom_${name} ${ARG_DEPS}
    GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(strongroom_${name}_test PRIVATE ${ARG_DEFINITIONS})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  gtest_discover_tests(strongroom_${name}_test
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${ARG_TIMEOUT})
endfunction()
