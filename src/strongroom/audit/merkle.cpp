#include "strongroom/audit/merkle.hpp"

#include <bit>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

bool IsPowerOfTwo(std::uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace

Hash HashLeaf(base::ByteView data) {
  thread_local base::Bytes buffer;
  buffer.assign(1, 0x00);
  buffer.insert(buffer.end(), data.begin(), data.end());
  return crypto::Sha256(buffer);
}

Hash HashChildren(const Hash& left, const Hash& right) {
  std::array<std::uint8_t, 1 + 2 * crypto::kSha256Size> buffer;
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer.begin() + 1);
  std::copy(right.begin(), right.end(), buffer.begin() + 1 + crypto::kSha256Size);
  return crypto::Sha256(buffer);
}

Hash EmptyRoot() { return crypto::Sha256({}); }

std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

base::Result<Hash> RangeHash(const PerfectNodeSource& nodes, std::uint64_t begin,
                             std::uint64_t end) {
  if (end <= begin) return base::InvalidArgumentError("empty Merkle range");
  const std::uint64_t n = end - begin;
  if (begin % std::bit_floor(n) != 0) return base::InvalidArgumentError("misaligned Merkle range");
  if (IsPowerOfTwo(n)) return nodes(std::countr_zero(n), begin / n);
  const std::uint64_t k = SplitPoint(n);
  SR_ASSIGN_OR_RETURN(const Hash left, nodes(std::countr_zero(k), begin / k));
  SR_ASSIGN_OR_RETURN(const Hash right, RangeHash(nodes, begin + k, end));
  return HashChildren(left, right);
}

base::Result<Hash> RootHash(const PerfectNodeSource& nodes, std::uint64_t size) {
  if (size == 0) return EmptyRoot();
  return RangeHash(nodes, 0, size);
}

namespace {

// PATH(m, D[begin:end]), appended to `out` from the leaf upwards.
base::Status Path(const PerfectNodeSource& nodes, std::uint64_t m, std::uint64_t begin,
                  std::uint64_t end, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (n == 1) return base::OkStatus();
  const std::uint64_t k = SplitPoint(n);
  if (m < k) {
    SR_RETURN_IF_ERROR(Path(nodes, m, begin, begin + k, out));
    SR_ASSIGN_OR_RETURN(const Hash right, RangeHash(nodes, begin + k, end));
    out.push_back(right);
  } else {
    SR_RETURN_IF_ERROR(Path(nodes, m - k, begin + k, end, out));
    SR_ASSIGN_OR_RETURN(const Hash left, RangeHash(nodes, begin, begin + k));
    out.push_back(left);
  }
  return base::OkStatus();
}

// SUBPROOF(m, D[begin:end], b).
base::Status SubProof(const PerfectNodeSource& nodes, std::uint64_t m, std::uint64_t begin,
                      std::uint64_t end, bool b, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      SR_ASSIGN_OR_RETURN(const Hash whole, RangeHash(nodes, begin, end));
      out.push_back(whole);
    }
    return base::OkStatus();
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    SR_RETURN_IF_ERROR(SubProof(nodes, m, begin, begin + k, b, out));
    SR_ASSIGN_OR_RETURN(const Hash right, RangeHash(nodes, begin + k, end));
    out.push_back(right);
  } else {
    SR_RETURN_IF_ERROR(SubProof(nodes, m - k, begin + k, end, false, out));
    SR_ASSIGN_OR_RETURN(const Hash left, RangeHash(nodes, begin, begin + k));
    out.push_back(left);
  }
  return base::OkStatus();
}

}  // namespace

base::Result<std::vector<Hash>> InclusionProof(const PerfectNodeSource& nodes,
                                               std::uint64_t leaf_index, std::uint64_t tree_size) {
  if (leaf_index >= tree_size) {
    return base::InvalidArgumentError("leaf " + std::to_string(leaf_index) +
                                      " is not in a tree of " + std::to_string(tree_size));
  }
  std::vector<Hash> proof;
  SR_RETURN_IF_ERROR(Path(nodes, leaf_index, 0, tree_size, proof));
  return proof;
}

base::Result<std::vector<Hash>> ConsistencyProof(const PerfectNodeSource& nodes,
                                                 std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2) {
    return base::InvalidArgumentError("the first tree (" + std::to_string(size1) +
                                      ") is larger than the second (" + std::to_string(size2) +
                                      ")");
  }
  std::vector<Hash> proof;
  if (size1 == 0 || size1 == size2) return proof;
  SR_RETURN_IF_ERROR(SubProof(nodes, size1, 0, size2, true, proof));
  return proof;
}

bool VerifyInclusion(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (leaf_index >= tree_size) return false;
  std::uint64_t fn = leaf_index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = HashChildren(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2, const std::vector<Hash>& proof,
                       const Hash& root1, const Hash& root2) {
  if (size1 > size2) return false;
  if (size1 == size2) return proof.empty() && root1 == root2;
  if (size1 == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == root1 && sr == root2;
}

void MerkleFrontier::Append(const Hash& leaf_hash, std::vector<CompletedNode>* completed) {
  ++size_;
  stack_.push_back({0, leaf_hash});
  if (completed != nullptr) completed->push_back({0, size_ - 1, leaf_hash});
  while (stack_.size() >= 2 && stack_[stack_.size() - 2].level == stack_.back().level) {
    const Entry right = stack_.back();
    stack_.pop_back();
    Entry& left = stack_.back();
    left.hash = HashChildren(left.hash, right.hash);
    ++left.level;
    if (completed != nullptr) {
      completed->push_back({left.level, (size_ >> left.level) - 1, left.hash});
    }
  }
}

base::Result<MerkleFrontier> MerkleFrontier::FromSource(const PerfectNodeSource& nodes,
                                                        std::uint64_t size) {
  MerkleFrontier f;
  std::uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = std::uint64_t{1} << level;
    if ((size & width) == 0) continue;
    SR_ASSIGN_OR_RETURN(const Hash hash, nodes(level, begin >> level));
    f.stack_.push_back({level, hash});
    begin += width;
  }
  f.size_ = size;
  return f;
}

Hash MerkleFrontier::Root() const {
  if (stack_.empty()) return EmptyRoot();
  Hash r = stack_.back().hash;
  for (std::size_t i = stack_.size() - 1; i-- > 0;) r = HashChildren(stack_[i].hash, r);
  return r;
}

}  // namespace strongroom::audit
