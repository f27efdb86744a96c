// Sign-in and per-request authentication costs (BENCHMARKS.md, issue 3).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "strongroom/access/authorizer.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/crypto/password_hash.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/login.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/storage/key_store.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom {
namespace {

// Keeps nothing: the benchmarks measure the identity path, not an audit log.
class DiscardSink final : public audit::Sink {
 public:
  base::Status Record(const audit::Event&) override { return base::OkStatus(); }
};

// One store with a tenant, a client user and the services, as the server wires them.
struct World {
  std::filesystem::path dir;
  base::SystemClock clock;
  DiscardSink audit;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::SqlKeyStore> keys;
  std::unique_ptr<crypto::KeyRing> ring;
  std::unique_ptr<identity::TwoFactor> two_factor;
  std::unique_ptr<identity::TenantStore> tenants;
  std::unique_ptr<identity::Accounts> accounts;
  std::unique_ptr<identity::Sessions> sessions;
  std::unique_ptr<identity::SourceThrottle> throttle;
  std::unique_ptr<identity::LoginService> login;
  std::unique_ptr<access::GrantStore> grants;
  std::unique_ptr<access::Authorizer> authorizer;
  identity::User client;
  identity::TenantId tenant;

  World() {
    dir =
        std::filesystem::temp_directory_path() / ("strongroom-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    storage::SqliteOptions options;
    options.path = dir / "store.db";
    options.create = true;
    store = std::move(storage::OpenSqliteStore(options, clock)).value();
    keys = std::make_unique<storage::SqlKeyStore>(*store);
    ring = std::move(crypto::KeyRing::Open(crypto::GenerateRootKey(), *keys, clock)).value();
    const auto identity_key = *ring->FindOrCreateKey("identity");
    two_factor = std::make_unique<identity::TwoFactor>(*ring, identity_key, clock);
    tenants = std::make_unique<identity::TenantStore>(*store, audit, clock);
    accounts = std::make_unique<identity::Accounts>(*store, *two_factor, audit, clock);
    sessions = std::make_unique<identity::Sessions>(*store, audit, clock);
    // Never throttle: the benchmark signs in wrongly on purpose, many times.
    identity::ThrottlePolicy unlimited;
    unlimited.account_failures = 1 << 30;
    unlimited.source_failures = 1 << 30;
    throttle = std::make_unique<identity::SourceThrottle>(unlimited);
    login = std::move(identity::LoginService::Create(
                          *store, *two_factor, *sessions, *throttle, audit, clock,
                          *identity::UsernameHashKey(*ring, identity_key)))
                .value();
    grants = std::make_unique<access::GrantStore>(*store, audit, clock);
    authorizer = std::make_unique<access::Authorizer>(*store, *grants, audit, clock);
    const audit::Actor actor{"bench", "operator", "local", ""};
    tenant = tenants->Create(actor, "Bench Tenant")->id;
    client =
        accounts
            ->Create(actor,
                     identity::NewUser{
                         "bench-client", identity::Role::kClientUser, tenant,
                         base::SecretString(std::string("violet tractor umbrella 1987 quietly"))})
            ->user;
  }
  ~World() {
    (void)store->Close();
    std::filesystem::remove_all(dir);
  }

  std::string Session() {
    auto tx = *store->BeginWrite();
    auto s = *sessions->Issue(*tx, client.id, "127.0.0.1");
    (void)tx->Commit();
    return s.token.Reveal();
  }
};

World& TheWorld() {
  static World* world = new World();
  return *world;
}

// Argon2id at the production parameters (t=3, m=64 MiB, p=1): what one sign-in costs.
void BM_HashPassphrase(benchmark::State& state) {
  const base::SecretString pw(std::string("violet tractor umbrella 1987 quietly"));
  for (auto _ : state) benchmark::DoNotOptimize(crypto::HashPassphrase(pw).ok());
}

void BM_VerifyPassphrase(benchmark::State& state) {
  const base::SecretString pw(std::string("violet tractor umbrella 1987 quietly"));
  const std::string hash = *crypto::HashPassphrase(pw);
  for (auto _ : state) benchmark::DoNotOptimize(*crypto::VerifyPassphrase(hash, pw));
}

// A full sign-in attempt that fails: for a real account with a wrong passphrase, and for a name
// with no account. The two should cost the same (no timing tells which names exist).
void BM_LoginWrongPassphrase(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) {
    const auto r = w.login->Login(identity::LoginRequest{
        "bench-client", base::SecretString(std::string("not the passphrase at all")),
        base::SecretString(), "127.0.0.1", "bench"});
    if (r.status.code() != base::ErrorCode::kUnauthenticated) state.SkipWithError("not a 401");
  }
}

void BM_LoginUnknownUser(benchmark::State& state) {
  World& w = TheWorld();
  int n = 0;
  for (auto _ : state) {
    const auto r = w.login->Login(identity::LoginRequest{
        "nobody-" + std::to_string(n++ % 4), base::SecretString(std::string("not the passphrase")),
        base::SecretString(), "127.0.0.1", "bench"});
    if (r.status.code() != base::ErrorCode::kUnauthenticated) state.SkipWithError("not a 401");
  }
}

// What every authenticated request pays: resolve the bearer token (session, user, tenant).
void BM_AuthenticateSession(benchmark::State& state) {
  World& w = TheWorld();
  const std::string token = w.Session();
  for (auto _ : state) benchmark::DoNotOptimize(w.sessions->Authenticate(token).ok());
}

// ...and the access decision for a tenant-scoped action (looks up the tenant's status).
void BM_AuthenticateAndAuthorize(benchmark::State& state) {
  World& w = TheWorld();
  const std::string token = w.Session();
  const audit::Actor actor{w.client.id.value(), "client_user", "127.0.0.1", "bench"};
  const access::Target target{w.tenant, "contacts", "collection:contacts"};
  for (auto _ : state) {
    const auto principal = w.sessions->Authenticate(token);
    benchmark::DoNotOptimize(
        w.authorizer->Authorize(*principal, actor, access::Action::kRecordsRead, target).ok());
  }
}

BENCHMARK(BM_HashPassphrase)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_VerifyPassphrase)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_LoginWrongPassphrase)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_LoginUnknownUser)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_AuthenticateSession)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AuthenticateAndAuthorize)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace strongroom

BENCHMARK_MAIN();
