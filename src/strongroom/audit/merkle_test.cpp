#include "strongroom/audit/merkle.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/base/bytes.hpp"

namespace strongroom::audit {
namespace {

Hash FromHex(const std::string& hex) {
  auto bytes = base::HexDecode(hex);
  EXPECT_TRUE(bytes.ok() && bytes->size() == 32) << hex;
  Hash h{};
  if (bytes.ok() && bytes->size() == 32) std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

std::vector<Hash> HashList(const std::string& text) {
  std::vector<Hash> out;
  if (text == "-") return out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(FromHex(item));
  return out;
}

// The transparency-dev/merkle reference results (tests/testdata/merkle).
struct Reference {
  std::vector<base::Bytes> leaves;
  std::map<std::pair<int, std::uint64_t>, Hash> nodes;
  std::map<std::uint64_t, Hash> roots;
  struct Proof {
    std::uint64_t a, b;
    std::vector<Hash> hashes;
  };
  std::vector<Proof> inclusion, consistency;
};

Reference LoadReference() {
  Reference r;
  std::ifstream in(STRONGROOM_TESTDATA "/merkle/rfc6962_reference.txt");
  EXPECT_TRUE(in.good());
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "leaf") {
      std::size_t index;
      std::string hex;
      fields >> index >> hex;
      EXPECT_EQ(index, r.leaves.size());
      r.leaves.push_back(hex == "-" ? base::Bytes() : *base::HexDecode(hex));
    } else if (kind == "node") {
      int level;
      std::uint64_t index;
      std::string hex;
      fields >> level >> index >> hex;
      r.nodes[{level, index}] = FromHex(hex);
    } else if (kind == "root") {
      std::uint64_t size;
      std::string hex;
      fields >> size >> hex;
      r.roots[size] = FromHex(hex);
    } else {
      Reference::Proof p;
      std::string hashes;
      fields >> p.a >> p.b >> hashes;
      p.hashes = HashList(hashes);
      (kind == "inclusion" ? r.inclusion : r.consistency).push_back(p);
    }
  }
  return r;
}

using testing::NaiveRoot;

PerfectNodeSource SourceOver(const std::vector<Hash>& leaves) {
  return [&leaves](int level, std::uint64_t index) -> base::Result<Hash> {
    const std::uint64_t width = std::uint64_t{1} << level;
    if ((index + 1) * width > leaves.size()) return base::OutOfRangeError("beyond the tree");
    return NaiveRoot(leaves, index * width, (index + 1) * width);
  };
}

TEST(Merkle, ReproducesTheReferenceLeafNodeAndRootHashes) {
  const Reference ref = LoadReference();
  ASSERT_EQ(ref.leaves.size(), 8u);
  std::vector<Hash> leaves;
  MerkleFrontier frontier;
  std::map<std::pair<int, std::uint64_t>, Hash> completed_nodes;
  EXPECT_EQ(frontier.Root(), ref.roots.at(0));
  for (const auto& leaf : ref.leaves) {
    leaves.push_back(HashLeaf(leaf));
    std::vector<MerkleFrontier::CompletedNode> completed;
    frontier.Append(leaves.back(), &completed);
    for (const auto& c : completed) completed_nodes[{c.level, c.index}] = c.hash;
    EXPECT_EQ(frontier.Root(), ref.roots.at(leaves.size())) << leaves.size();
    EXPECT_EQ(*RootHash(SourceOver(leaves), leaves.size()), ref.roots.at(leaves.size()));
  }
  EXPECT_EQ(completed_nodes, ref.nodes);  // Every complete subtree, reported exactly once.
}

TEST(Merkle, ProducesAndVerifiesTheReferenceInclusionProofs) {
  const Reference ref = LoadReference();
  std::vector<Hash> leaves;
  for (const auto& leaf : ref.leaves) leaves.push_back(HashLeaf(leaf));
  ASSERT_EQ(ref.inclusion.size(), 5u);
  for (const auto& p : ref.inclusion) {
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + static_cast<long>(p.b));
    const auto proof = InclusionProof(SourceOver(prefix), p.a, p.b);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*proof, p.hashes) << p.a << " in " << p.b;
    EXPECT_TRUE(VerifyInclusion(p.a, p.b, leaves[p.a], p.hashes, ref.roots.at(p.b)));
  }
}

TEST(Merkle, ProducesAndVerifiesTheReferenceConsistencyProofs) {
  const Reference ref = LoadReference();
  std::vector<Hash> leaves;
  for (const auto& leaf : ref.leaves) leaves.push_back(HashLeaf(leaf));
  ASSERT_EQ(ref.consistency.size(), 5u);
  for (const auto& p : ref.consistency) {
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + static_cast<long>(p.b));
    const auto proof = ConsistencyProof(SourceOver(prefix), p.a, p.b);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*proof, p.hashes) << p.a << " -> " << p.b;
    EXPECT_TRUE(VerifyConsistency(p.a, p.b, p.hashes, ref.roots.at(p.a), ref.roots.at(p.b)));
  }
}

// Every way of damaging a good proof must be refused (the probes transparency-dev/merkle's
// verifier tests use, written here independently).
std::vector<std::vector<Hash>> DamagedProofs(const std::vector<Hash>& proof, const Hash& extra) {
  std::vector<std::vector<Hash>> out;
  auto with_end = proof;
  with_end.push_back(extra);
  out.push_back(with_end);
  auto with_front = proof;
  with_front.insert(with_front.begin(), extra);
  out.push_back(with_front);
  for (std::size_t i = 0; i < proof.size(); ++i) {
    auto flipped = proof;
    flipped[i][0] ^= 0x08;
    out.push_back(flipped);
  }
  if (!proof.empty()) out.emplace_back(proof.begin(), proof.end() - 1);
  if (proof.size() > 1) {
    auto inserted = proof;
    inserted.insert(inserted.begin() + 1, extra);
    out.push_back(inserted);
  }
  return out;
}

TEST(Merkle, EveryProofForEveryTreeUpTo70LeavesVerifiesAndNoDamagedOneDoes) {
  std::vector<Hash> leaves;
  std::vector<Hash> roots{EmptyRoot()};
  for (int i = 0; i < 70; ++i) {
    const std::string data = "event " + std::to_string(i);
    leaves.push_back(HashLeaf(base::AsBytes(data)));
    roots.push_back(NaiveRoot(leaves, 0, leaves.size()));
  }
  const Hash other = HashLeaf(base::AsBytes(std::string_view("not in the tree")));
  const auto source = SourceOver(leaves);
  for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
    EXPECT_EQ(*RootHash(source, size), roots[size]);
    for (std::uint64_t i = 0; i < size; ++i) {
      const auto proof = *InclusionProof(source, i, size);
      ASSERT_TRUE(VerifyInclusion(i, size, leaves[i], proof, roots[size])) << i << "/" << size;
      EXPECT_FALSE(VerifyInclusion(i, size, other, proof, roots[size]));
      EXPECT_FALSE(VerifyInclusion(i + 1, size, leaves[i], proof, roots[size]));
      if (i > 0) {
        EXPECT_FALSE(VerifyInclusion(i - 1, size, leaves[i], proof, roots[size]));
      }
      EXPECT_FALSE(VerifyInclusion(i, size * 2, leaves[i], proof, roots[size]));
      EXPECT_FALSE(VerifyInclusion(i, size, leaves[i], proof, other));
      for (const auto& bad : DamagedProofs(proof, other)) {
        EXPECT_FALSE(VerifyInclusion(i, size, leaves[i], bad, roots[size])) << i << "/" << size;
      }
    }
    for (std::uint64_t old = 1; old < size; ++old) {
      const auto proof = *ConsistencyProof(source, old, size);
      ASSERT_TRUE(VerifyConsistency(old, size, proof, roots[old], roots[size]))
          << old << "->" << size;
      EXPECT_FALSE(VerifyConsistency(old, size, proof, roots[size], roots[old]));
      EXPECT_FALSE(VerifyConsistency(old, size, proof, other, roots[size]));
      EXPECT_FALSE(VerifyConsistency(old, size, proof, roots[old], other));
      EXPECT_FALSE(VerifyConsistency(old + 1, size, proof, roots[old], roots[size]));
      EXPECT_FALSE(VerifyConsistency(old, size * 2, proof, roots[old], roots[size]));
      EXPECT_FALSE(VerifyConsistency(old, size, {}, roots[old], roots[size]));
      for (const auto& bad : DamagedProofs(proof, other)) {
        EXPECT_FALSE(VerifyConsistency(old, size, bad, roots[old], roots[size]))
            << old << "->" << size;
      }
    }
  }
}

TEST(Merkle, EdgeCasesAreRefusedOrTrivial) {
  const std::vector<Hash> leaves{HashLeaf({})};
  const auto source = SourceOver(leaves);
  EXPECT_EQ(InclusionProof(source, 1, 1).error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(source, 0, 0).error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(source, 2, 1).error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ConsistencyProof(source, 0, 1)->empty());
  EXPECT_TRUE(ConsistencyProof(source, 1, 1)->empty());
  EXPECT_FALSE(RangeHash(source, 1, 1).ok());
  EXPECT_FALSE(VerifyInclusion(0, 0, leaves[0], {}, leaves[0]));
  EXPECT_TRUE(VerifyInclusion(0, 1, leaves[0], {}, leaves[0]));
  EXPECT_TRUE(VerifyConsistency(0, 5, {}, EmptyRoot(), leaves[0]));
  EXPECT_FALSE(VerifyConsistency(0, 5, {leaves[0]}, EmptyRoot(), leaves[0]));
  EXPECT_FALSE(VerifyConsistency(3, 3, {leaves[0]}, leaves[0], leaves[0]));
  EXPECT_FALSE(VerifyConsistency(3, 2, {}, leaves[0], leaves[0]));
}

}  // namespace
}  // namespace strongroom::audit
