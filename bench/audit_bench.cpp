// Audit log benchmarks (BENCHMARKS.md, issue 4): durable appends with 1, 8 and 64 concurrent
// writers beside the machine's fsync rate, and verification throughput beside SHA-256.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::audit {
namespace {

namespace fs = std::filesystem;

fs::path BenchDir() {
  static const fs::path dir = [] {
    fs::path d =
        fs::temp_directory_path() / ("strongroom-audit-bench-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

using testing::TestCheckpointKey;

Event SampleEvent(std::int64_t i) {
  Event e;
  e.time = std::chrono::system_clock::now();
  e.actor_id = "usr_3f9a2c0d4e5b6a7980112233445566aa";
  e.actor_role = "service";
  e.tenant_id = "ten_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  e.action = "records.read";
  e.resource = "record:customers/" + std::to_string(i);
  e.reason = "via_grant";
  e.source_address = "192.0.2.44";
  e.request_id = "req-" + std::to_string(i);
  return e;
}

struct Opened {
  base::SystemClock clock;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<AuditLog> log;
};

std::unique_ptr<Opened> OpenLog(const fs::path& dir) {
  auto o = std::make_unique<Opened>();
  o->store = std::move(OpenAuditStore(dir / "audit.db", o->clock)).value();
  o->log =
      std::move(AuditLog::Open(*o->store, TestCheckpointKey(), dir / "checkpoints.jsonl", o->clock))
          .value();
  return o;
}

// The reference: one small write and fdatasync at a time, in the same file system.
void BM_FsyncRate(benchmark::State& state) {
  const fs::path path = BenchDir() / "fsync.dat";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const char line[64] = {};
  for (auto _ : state) {
    benchmark::DoNotOptimize(::write(fd, line, sizeof line));
    ::fdatasync(fd);
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FsyncRate)->UseRealTime()->MinTime(3);

Opened* shared_log = nullptr;
void SetUpAppend(const benchmark::State&) {
  fs::remove_all(BenchDir() / "append");
  fs::create_directories(BenchDir() / "append");
  shared_log = OpenLog(BenchDir() / "append").release();
}
void TearDownAppend(const benchmark::State&) {
  (void)shared_log->log->Close();
  (void)shared_log->store->Close();
  delete shared_log;
  shared_log = nullptr;
}

void BM_DurableAppend(benchmark::State& state) {
  std::int64_t i = state.thread_index() * 1'000'000'000LL;
  for (auto _ : state) {
    if (!shared_log->log->Record(SampleEvent(i++)).ok()) state.SkipWithError("record failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DurableAppend)
    ->Setup(SetUpAppend)
    ->Teardown(TearDownAppend)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(3);

constexpr int kVerifyEvents = 200'000;

void BM_Verify(benchmark::State& state) {
  const fs::path dir = BenchDir() / "verify";
  if (!fs::exists(dir / "audit.db")) {
    fs::create_directories(dir);
    auto o = OpenLog(dir);
    std::vector<std::thread> writers;
    for (int t = 0; t < 64; ++t) {
      writers.emplace_back([&, t] {
        for (int i = t; i < kVerifyEvents; i += 64) (void)o->log->Record(SampleEvent(i));
      });
    }
    for (auto& w : writers) w.join();
    (void)o->log->Close();
    (void)o->store->Close();
  }
  base::SystemClock clock;
  auto store = std::move(OpenAuditStore(dir / "audit.db", clock, /*create=*/false)).value();
  const std::map<std::string, crypto::Ed25519PublicKey> keys{
      {KeyIdOf(TestCheckpointKey().public_key()), TestCheckpointKey().public_key()}};
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto report = VerifyAuditLog(*store, dir / "checkpoints.jsonl", keys);
    if (!report.ok() || !report->ok() || report->events != kVerifyEvents) {
      state.SkipWithError("verification failed");
    }
  }
  bytes = LeafData(ToStored(0, SampleEvent(100000))).size();
  state.SetItemsProcessed(state.iterations() * kVerifyEvents);
  state.SetBytesProcessed(state.iterations() * kVerifyEvents * static_cast<std::int64_t>(bytes));
  (void)store->Close();
}
BENCHMARK(BM_Verify)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

// In-process reference for verification: SHA-256 of leaf-sized inputs.
void BM_Sha256LeafSized(benchmark::State& state) {
  const base::Bytes leaf = LeafData(ToStored(0, SampleEvent(100000)));
  for (auto _ : state) benchmark::DoNotOptimize(crypto::Sha256(leaf));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(leaf.size()));
}
BENCHMARK(BM_Sha256LeafSized);

}  // namespace
}  // namespace strongroom::audit

BENCHMARK_MAIN();
