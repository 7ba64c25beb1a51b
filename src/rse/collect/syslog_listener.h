// SyslogListener: receives syslog messages over UDP and TCP on any number of addresses, with
// one thread polling all its sockets, and hands each message to a bounded MessageQueue.
// Messages are not parsed here (RFC 3164 and RFC 5424 alike are passed as text; the pipeline's
// syslog parser reads both).
//
// UDP: one datagram is one message (a trailing LF, CRLF or NUL is removed). The socket asks for a
// large receive buffer (`udp_receive_buffer_bytes`; the kernel caps it at net.core.rmem_max
// unless we hold CAP_NET_ADMIN) and reads the kernel's count of datagrams it dropped because
// that buffer was full (SO_RXQ_OVFL, and SO_MEMINFO after each batch so the last drops are
// seen too): `kernel_drops`. When the queue is full the datagram is dropped and counted
// (`dropped_queue_full`): a UDP sender cannot be slowed down, and blocking the socket thread
// would only move the loss into the kernel, uncounted per message and harming TCP too.
//
// TCP: RFC 6587 framing, octet-counted or LF-terminated, detected per message (SyslogFramer).
// When the queue is full a connection is *paused* — its message held, its socket no longer
// read — and retried every `backpressure_retry` (`backpressure_waits` counts the pauses).
// Why not drop: TCP senders (rsyslog, syslog-ng) have their own disk-assisted queues and
// retries; back-pressure through the TCP window makes them hold the messages instead of us
// losing them silently-for-them, and costs us no memory. A full queue therefore never drops a
// TCP message; `dropped_at_stop` counts messages held when Stop() came.
// At most `max_connections` TCP connections are open at once; further ones are accepted and
// closed at once (`connections_rejected`), so the kernel backlog does not fill. A bad octet
// count closes that connection (`framing_errors`); so does a connection that ends inside an
// octet-counted message (also a framing error; the partial message is lost).
//
// Every message carries the receive time from the Clock, the sender's address and the input
// name "syslog-udp:<bound address>" / "syslog-tcp:<bound address>".
//
// Thread-safety: counters() and endpoints() may be called from any thread. Stop() (also run by
// the destructor) wakes the thread, joins it and closes every socket.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/collect/message_queue.h"

namespace mamori::rse::collect {

struct SyslogListenerOptions {
  // "host:port": "0.0.0.0:514", "127.0.0.1:5514", "[::]:514", "[::1]:0" (port 0: any free
  // port; see endpoints()). An IPv6 address listens on IPv6 only: list "0.0.0.0:514" too for
  // IPv4. An empty host (":514") means 0.0.0.0.
  std::vector<std::string> udp;
  std::vector<std::string> tcp;
  size_t max_message_bytes = 64 * 1024;
  size_t max_connections = 256;  // open TCP connections, over all TCP addresses
  int udp_receive_buffer_bytes = 8 * 1024 * 1024;
  std::chrono::milliseconds backpressure_retry{20};
};

struct SyslogEndpoint {
  Transport transport = Transport::kUdp;
  std::string requested;  // as given in the options
  std::string address;    // as bound: "127.0.0.1:40123", "[::1]:40123"
  uint16_t port = 0;      // as bound
  std::string input;      // "syslog-udp:127.0.0.1:40123"
  int receive_buffer_bytes = 0;  // UDP: what the kernel granted
};

struct SyslogCounters {
  uint64_t messages = 0;            // handed to the queue
  uint64_t bytes = 0;               // received (datagram payloads; TCP stream bytes)
  uint64_t dropped_queue_full = 0;  // UDP only (TCP pauses instead)
  uint64_t kernel_drops = 0;        // UDP: dropped by the kernel, socket buffer full
  uint64_t oversized = 0;           // messages cut at max_message_bytes
  uint64_t framing_errors = 0;      // TCP: bad octet counts, connections ended mid-message
  uint64_t connections = 0;         // TCP: accepted and served
  uint64_t connections_rejected = 0;  // TCP: over max_connections
  uint64_t open_connections = 0;    // TCP: now
  uint64_t backpressure_waits = 0;  // TCP: times a connection was paused on a full queue
  uint64_t dropped_at_stop = 0;     // TCP: messages held by paused connections at Stop()
};

class SyslogListener {
 public:
  // Binds every address (errors name the address and say what to do: port in use, privileged
  // port, bad address), then starts the thread. `queue` and `clock` must outlive the listener.
  static Expected<std::unique_ptr<SyslogListener>> Start(const SyslogListenerOptions& options,
                                                         MessageQueue& queue, Clock& clock);
  ~SyslogListener();
  SyslogListener(const SyslogListener&) = delete;
  SyslogListener& operator=(const SyslogListener&) = delete;

  void Stop();

  const std::vector<SyslogEndpoint>& endpoints() const { return endpoints_; }
  SyslogCounters counters(Transport transport) const;  // kUdp or kTcp

 private:
  struct Socket;
  struct Connection;
  struct AtomicCounters {
    std::atomic<uint64_t> messages{0}, bytes{0}, dropped_queue_full{0}, kernel_drops{0},
        oversized{0}, framing_errors{0}, connections{0}, connections_rejected{0},
        open_connections{0}, backpressure_waits{0}, dropped_at_stop{0};
  };

  SyslogListener(const SyslogListenerOptions& options, MessageQueue& queue, Clock& clock);
  Status Bind(Transport transport, const std::string& requested);
  void Run();
  void ReadUdp(Socket& socket);
  void UpdateKernelDrops(Socket& socket, uint32_t cumulative);
  void AcceptAll(Socket& socket);
  void ReadConnection(Connection& connection);
  // Pushes held and buffered messages; false when the connection must be closed.
  bool Process(Connection& connection);
  void CloseConnection(Connection& connection);

  SyslogListenerOptions options_;
  MessageQueue& queue_;
  Clock& clock_;
  std::vector<SyslogEndpoint> endpoints_;
  std::vector<std::unique_ptr<Socket>> sockets_;  // one per endpoint, same order
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<char> scratch_;
  std::array<AtomicCounters, 2> counters_;  // [0] UDP, [1] TCP
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mamori::rse::collect
