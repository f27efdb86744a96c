#include <signal.h>
#include <sys/stat.h>

#include <iostream>

#include "strongroom/cli/cli.hpp"
#include "strongroom/server/app.hpp"

int main(int argc, char** argv) {
  // Everything Strongroom creates (keys, store, logs of its own) is private to its user.
  ::umask(077);
  // A client that disconnects mid-response must not kill the server.
  ::signal(SIGPIPE, SIG_IGN);
  const strongroom::cli::ServerCommands commands{
      .serve =
          [](const strongroom::cli::ServeOptions& o) {
            return strongroom::server::Serve(o, std::cout, std::cerr);
          },
      .demo =
          [](const strongroom::cli::ServeOptions& o) {
            return strongroom::server::Demo(o, std::cout, std::cerr);
          },
  };
  return strongroom::cli::Run(argc, argv, commands, std::cout, std::cerr);
}
