# Third-party libraries, all from Debian 12 packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
find_package(SQLite3 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# Test vectors from Debian's python3-cryptography-vectors (NIST CAVP, RFC 4231/5869, Ed25519).
find_path(CRYPTOGRAPHY_VECTORS_DIR NAMES ciphers/AES/GCM/gcmDecrypt256.rsp
  PATHS /usr/lib/python3/dist-packages/cryptography_vectors NO_DEFAULT_PATH REQUIRED)

# Identity: passphrase strength (zxcvbn-c ships no pkg-config file) and QR codes for enrolment.
find_library(ZXCVBN_LIBRARY zxcvbn REQUIRED)
find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
add_library(zxcvbn::zxcvbn UNKNOWN IMPORTED)
set_target_properties(zxcvbn::zxcvbn PROPERTIES IMPORTED_LOCATION ${ZXCVBN_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${ZXCVBN_INCLUDE_DIR})
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd>=1.4)
# ISMS exports: the Statement of Applicability and the SOC 2 control matrix as XLSX.
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
