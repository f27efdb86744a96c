#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::audit {

// The Merkle tree of RFC 6962 / RFC 9162 section 2.1 over SHA-256: a leaf is
// SHA-256(0x00 || data), an interior node SHA-256(0x01 || left || right), and a tree of n > 1
// leaves splits at the largest power of two smaller than n.
using Hash = crypto::Sha256Digest;

Hash HashLeaf(base::ByteView data);
Hash HashChildren(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// The largest power of two strictly smaller than n (n >= 2).
std::uint64_t SplitPoint(std::uint64_t n);

// The hash of a perfect subtree: the node at `level` (0 = a leaf) whose leaves are
// [index * 2^level, (index + 1) * 2^level). The source decides how to find it (stored nodes,
// leaves in memory); it may fail with an I/O error, which the callers pass on.
using PerfectNodeSource = std::function<base::Result<Hash>(int level, std::uint64_t index)>;

// MTH(D[begin:end]) of RFC 6962 for a range that starts at a multiple of the largest power of
// two not above its size (every range the proofs below ask for). Errors: kInvalidArgument for an
// empty or misaligned range; the source's errors.
base::Result<Hash> RangeHash(const PerfectNodeSource& nodes, std::uint64_t begin,
                             std::uint64_t end);
// The root of the first `size` leaves (EmptyRoot() for 0).
base::Result<Hash> RootHash(const PerfectNodeSource& nodes, std::uint64_t size);

// PATH(leaf_index, D[0:tree_size]) (RFC 9162 2.1.3.1). Errors: kInvalidArgument unless
// leaf_index < tree_size.
base::Result<std::vector<Hash>> InclusionProof(const PerfectNodeSource& nodes,
                                               std::uint64_t leaf_index, std::uint64_t tree_size);
// PROOF(size1, D[0:size2]) (RFC 9162 2.1.4.1); empty when size1 is 0 or equals size2. Errors:
// kInvalidArgument unless size1 <= size2.
base::Result<std::vector<Hash>> ConsistencyProof(const PerfectNodeSource& nodes,
                                                 std::uint64_t size1, std::uint64_t size2);

// The verifiers of RFC 9162 2.1.3.2 and 2.1.4.2: true only for a proof that shows what it
// claims. Any malformed input (an index beyond the tree, a proof of the wrong length) is false.
bool VerifyInclusion(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root);
bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2, const std::vector<Hash>& proof,
                       const Hash& root1, const Hash& root2);

// The right edge of a growing tree: the roots of the perfect subtrees the first size() leaves
// decompose into, largest first (a "compact range" from 0). Appending a leaf completes zero or
// more perfect nodes, which it reports so a caller can store them. Thread-compatible.
class MerkleFrontier {
 public:
  struct CompletedNode {
    int level;
    std::uint64_t index;
    Hash hash;
  };

  // The frontier of the first `size` leaves, read from `nodes` (one node per set bit of size).
  static base::Result<MerkleFrontier> FromSource(const PerfectNodeSource& nodes,
                                                 std::uint64_t size);

  std::uint64_t size() const { return size_; }
  // Adds a leaf hash. `completed`, when given, receives every node this completes, the leaf
  // itself (level 0) first.
  void Append(const Hash& leaf_hash, std::vector<CompletedNode>* completed = nullptr);
  Hash Root() const;

 private:
  struct Entry {
    int level;
    Hash hash;
  };
  std::vector<Entry> stack_;
  std::uint64_t size_ = 0;
};

}  // namespace strongroom::audit
