// Test-only servers on 127.0.0.1 for the fetching tests (HTTP client, fetcher, TAXII client).
//
//   LoopbackHttpServer  a cpp-httplib server on an ephemeral port, run in its own thread;
//                       register handlers on server() before Start().
//   RawTcpServer        writes fixed bytes to each connection, for responses no well-behaved
//                       server produces (a body shorter than its Content-Length, ...).
//   ClosedPort          a port that refuses connections: bound, never listening, so no other
//                       process can take it while the test runs.
// Each object owns its sockets and thread and stops them in its destructor. Header-only and
// used only by *_test.cc files.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace mamori::feeds::testing {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Binds a TCP socket to 127.0.0.1 on an ephemeral port; returns the port.
inline int BindLoopback(const UniqueFd& fd) {
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("bind 127.0.0.1 failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

class LoopbackHttpServer {
 public:
  LoopbackHttpServer() = default;
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;
  ~LoopbackHttpServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Server& server() { return server_; }

  void Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind the loopback HTTP server");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  int port() const { return port_; }
  std::string Url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

class RawTcpServer {
 public:
  // Serves `response` to each of up to `connections` clients, then keeps the connection open
  // for `hold` (or until destruction) before closing it.
  RawTcpServer(std::string response, int connections,
               std::chrono::milliseconds hold = std::chrono::milliseconds(0))
      : listen_fd_(::socket(AF_INET, SOCK_STREAM, 0)),
        response_(std::move(response)),
        connections_(connections),
        hold_(hold) {
    port_ = BindLoopback(listen_fd_);
    ::listen(listen_fd_.get(), 8);
    thread_ = std::thread([this] { Run(); });
  }
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;
  ~RawTcpServer() {
    stop_ = true;
    thread_.join();
  }

  int port() const { return port_; }
  int accepted() const { return accepted_; }
  std::string Url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  // Waits up to `ms` for `fd` to become readable, in short slices so stop_ is noticed.
  bool WaitReadable(int fd, int ms) {
    for (int waited = 0; waited < ms && !stop_; waited += 20) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void Run() {
    while (!stop_ && accepted_ < connections_) {
      if (!WaitReadable(listen_fd_.get(), 5000)) return;
      UniqueFd client(::accept(listen_fd_.get(), nullptr, nullptr));
      if (client.get() < 0) continue;
      ++accepted_;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos && WaitReadable(client.get(), 2000)) {
        ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      ::send(client.get(), response_.data(), response_.size(), MSG_NOSIGNAL);
      auto until = std::chrono::steady_clock::now() + hold_;
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }

  UniqueFd listen_fd_;
  std::string response_;
  int connections_;
  std::chrono::milliseconds hold_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) { port_ = BindLoopback(fd_); }
  int port() const { return port_; }
  std::string Url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  UniqueFd fd_;
  int port_ = 0;
};

}  // namespace mamori::feeds::testing
