#include "rse/blocklist/connectors/nft_netlink.h"

#include <endian.h>
#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
#include <utility>

namespace mamori::rse::blocklist {

namespace {

// The elements of a message travel in one NFTA_SET_ELEM_LIST_ELEMENTS attribute, whose length
// field is 16 bits: a message holds at most 64 KiB of elements (about 1,600 IPv4 CIDRs, or 4,000
// IPv4 addresses of a hash set at 16 bytes each). A message is closed when the next CIDR (two
// elements, at most 52 bytes each for an IPv6 key with flags and user data) might not fit.
constexpr size_t kMaxElementsBytes = 65535;
constexpr size_t kMaxCidrBytes = 2 * 64;
// Room for one whole message: header, table and set names (at most 256 bytes each, plus their
// attribute headers), the elements.
constexpr size_t kMaxMessageBytes = 1024 + kMaxElementsBytes;
// Replies are read in pieces of this size (a page-sized message each, at most).
constexpr size_t kReplyBufferBytes = 1 << 16;

using Key = std::array<uint8_t, 16>;

Expected<uint16_t> FamilyNumber(const std::string& family) {
  if (family == "inet") return NFPROTO_INET;
  if (family == "ip") return NFPROTO_IPV4;
  if (family == "ip6") return NFPROTO_IPV6;
  if (family == "bridge") return NFPROTO_BRIDGE;
  if (family == "netdev") return NFPROTO_NETDEV;
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("'{}' is not an nftables family for address sets (inet, ip, ip6, "
                               "bridge, netdev)",
                               family.substr(0, 40)));
}

std::string SetText(const NftSetName& s) {
  return fmt::format("set {} {} {}", s.family, s.table, s.set);
}

std::string ElementText(const Cidr& cidr) {
  return cidr.is_host() ? cidr.network().ToString() : cidr.ToString();
}

// A CIDR as the kernel's interval set stores it: [start, end) in network byte order, as an
// element keyed `start` and an element keyed `end` flagged NFT_SET_ELEM_INTERVAL_END. A CIDR that
// reaches the last address has no end element (`open`): the interval runs to the top.
struct Bounds {
  Key start{};
  Key end{};
  uint32_t len = 4;  // key length: 4 (ipv4_addr) or 16 (ipv6_addr)
  bool open = false;
};

Bounds BoundsOf(const Cidr& cidr) {
  Bounds b;
  b.len = cidr.network().is_v4() ? 4 : 16;
  b.start = cidr.network().bytes();
  b.end = cidr.LastAddress().bytes();
  int i = static_cast<int>(b.len) - 1;  // end = last + 1, big-endian
  for (; i >= 0; --i) {
    if (++b.end[i] != 0) break;
  }
  b.open = i < 0;
  return b;
}

// The kernel's errno as an ErrorCode, for element operations on an interval set.
ErrorCode CodeOf(int err) {
  switch (err) {
    case EPERM:
    case EACCES:
      return ErrorCode::kRejected;
    case ENOENT:
      return ErrorCode::kNotFound;
    case EEXIST:
    case ENOTEMPTY:
      return ErrorCode::kAlreadyExists;
    case ENFILE:  // the set's `size` is reached
    case ENOSPC:
    case EMSGSIZE:
    case ENOBUFS:
    case ENOMEM:
      return ErrorCode::kTooLarge;
    case EBUSY:
      return ErrorCode::kBusy;
    default:
      return ErrorCode::kInvalidArgument;
  }
}

// What the user can do about the kernel's errno.
std::string Hint(int err) {
  switch (err) {
    case EPERM:
    case EACCES:
      return " (nftables needs CAP_NET_ADMIN in the network namespace: run as root or grant "
             "the capability)";
    case ENOENT:
      return " (the table or set does not exist: Replace() or Add() creates them)";
    case EEXIST:
      return " (interval sets hold no overlapping elements)";
    case ENFILE:
      return " (the set is full: its `size` is smaller than the list)";
    case EINVAL:
    case EOPNOTSUPP:
      return " (is it a set of type ipv4_addr or ipv6_addr with `flags interval`?)";
    default:
      return "";
  }
}

// The user data nft 1.0.6 gives an interval without end element (NFTNL_UDATA_SET_ELEM_FLAGS =
// NFTNL_SET_ELEM_F_INTERVAL_OPEN), so that `nft list set` prints it as a prefix.
const nftnl_udata_buf* OpenIntervalUserData() {
  static nftnl_udata_buf* buf = [] {
    nftnl_udata_buf* b = nftnl_udata_buf_alloc(16);
    if (b != nullptr) {
      nftnl_udata_put_u32(b, NFTNL_UDATA_SET_ELEM_FLAGS, NFTNL_SET_ELEM_F_INTERVAL_OPEN);
    }
    return b;
  }();
  return buf;
}

// Appends one element (a nested NFTA_LIST_ELEM) to `nlh`: the attributes
// nftnl_set_elem_nlmsg_build() writes for a key with optional flags and user data, written
// directly (no nftnl_set_elem to fill per element; a million of them are built per Replace).
void PutElement(nlmsghdr* nlh, const void* key, uint32_t len, bool end, bool open) {
  nlattr* elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
  if (end) mnl_attr_put_u32(nlh, NFTA_SET_ELEM_FLAGS, htobe32(NFT_SET_ELEM_INTERVAL_END));
  nlattr* k = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);
  mnl_attr_put(nlh, NFTA_DATA_VALUE, len, key);
  mnl_attr_nest_end(nlh, k);
  const nftnl_udata_buf* udata = open ? OpenIntervalUserData() : nullptr;
  if (udata != nullptr) {
    mnl_attr_put(nlh, NFTA_SET_ELEM_USERDATA, nftnl_udata_buf_len(udata),
                 nftnl_udata_buf_data(udata));
  }
  mnl_attr_nest_end(nlh, elem);
}

// The text of element `i` of `set`, for errors.
std::string ElementText(const NftSetContents& set, size_t i) {
  switch (set.kind) {
    case NftSetContents::Kind::kHostsV4:
      return i < set.hosts_v4.size() ? IpAddress::FromV4(set.hosts_v4[i]).ToString() : "";
    case NftSetContents::Kind::kHostsV6:
      return i < set.hosts_v6.size() ? set.hosts_v6[i].ToString() : "";
    case NftSetContents::Kind::kNetworks:
      return i < set.networks.size() ? ElementText(set.networks[i]) : "";
  }
  return "";
}

nlmsghdr* PutSetMessageHeader(char* at, uint16_t type, uint16_t family, uint16_t flags,
                              uint32_t seq, const NftSetName& set) {
  nlmsghdr* nlh = nftnl_nlmsg_build_hdr(at, type, family, flags, seq);
  mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, set.table.c_str());
  mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set.set.c_str());
  return nlh;
}

}  // namespace

// One reply of the kernel to a message we sent.
struct nft_detail::Reply {
  uint32_t seq = 0;
  int error = 0;                   // errno; 0 for an acknowledgement
  std::optional<uint32_t> offset;  // of the attribute the kernel refused, in our message
  std::string text;                // the kernel's own message, if any
};

namespace {

// Reads an NLMSG_ERROR message: the errno and the extended-ack attributes.
nft_detail::Reply ParseError(const nlmsghdr* nlh) {
  nft_detail::Reply r;
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  r.seq = err->msg.nlmsg_seq;
  r.error = -err->error;
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return r;
  // The attributes follow the echoed request, which is only its header with NETLINK_CAP_ACK.
  unsigned int offset = sizeof(nlmsgerr);
  if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
  mnl_attr_parse(
      nlh, offset,
      [](const nlattr* attr, void* data) {
        auto* reply = static_cast<nft_detail::Reply*>(data);
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
            mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
          reply->offset = mnl_attr_get_u32(attr);
        } else if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
                   mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
          reply->text = mnl_attr_get_str(attr);
        }
        return MNL_CB_OK;
      },
      &r);
  return r;
}

}  // namespace

// The messages of one batch in one contiguous buffer (the kernel takes a batch from a single
// sendmsg), and what each element message carries, so that an error can name the element.
struct nft_detail::Batch {
  struct Message {
    uint32_t seq = 0;
    size_t offset = 0;  // in `buf`
    const NftSetContents* set = nullptr;
    bool flush = false;    // a flush: no elements
    size_t first = 0;      // index of its first element in *set
    bool leading = false;  // starts with the leading interval end
  };

  std::vector<char> buf;
  size_t used = 0;
  std::vector<Message> messages;

  // Space for one more message of up to kMaxMessageBytes.
  char* Room() {
    if (buf.size() - used < kMaxMessageBytes) {
      buf.resize(std::max(buf.size() * 2, used + 4 * kMaxMessageBytes));
    }
    return buf.data() + used;
  }
  void Commit(const nlmsghdr* nlh) { used += NLMSG_ALIGN(nlh->nlmsg_len); }
  const nlmsghdr* At(const Message& m) const {
    return reinterpret_cast<const nlmsghdr*>(buf.data() + m.offset);
  }
  nlmsghdr* At(const Message& m) { return reinterpret_cast<nlmsghdr*>(buf.data() + m.offset); }
  const Message* Find(uint32_t seq) const {
    for (const Message& m : messages) {
      if (m.seq == seq) return &m;
    }
    return nullptr;
  }
};

// A request outside a batch (a query) and what to do with each data message of the answer.
struct nft_detail::Request {
  std::array<char, 4096> buf{};
  nlmsghdr* nlh = nullptr;
  std::function<void(const nlmsghdr*)> on_data;
};

NftNetlink::NftNetlink(mnl_socket* socket)
    : socket_(socket, [](mnl_socket* s) { mnl_socket_close(s); }),
      // Distinct runs of the process start at distinct sequence numbers, as nft does.
      seq_(static_cast<uint32_t>(std::time(nullptr))) {}

NftNetlink::~NftNetlink() = default;

Expected<std::unique_ptr<NftNetlink>> NftNetlink::Open() {
  mnl_socket* s = mnl_socket_open(NETLINK_NETFILTER);
  if (s == nullptr) {
    int err = errno;
    return MakeError(CodeOf(err), fmt::format("cannot open a netfilter netlink socket: {}{}",
                                              std::strerror(err), Hint(err)));
  }
  std::unique_ptr<NftNetlink> nl(new NftNetlink(s));
  if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
    int err = errno;
    return MakeError(CodeOf(err),
                     fmt::format("cannot bind a netfilter netlink socket: {}", std::strerror(err)));
  }
  nl->port_id_ = mnl_socket_get_portid(s);
  // Errors then say which attribute (element) the kernel refused, and do not echo the whole
  // request: a 64 KiB copy per error would overflow the receive buffer.
  int one = 1;
  mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
  return nl;
}

size_t NftSetContents::size() const {
  switch (kind) {
    case Kind::kHostsV4:
      return hosts_v4.size();
    case Kind::kHostsV6:
      return hosts_v6.size();
    case Kind::kNetworks:
      return networks.size();
  }
  return 0;
}

// Adds the messages that put the elements of `set` into it (NFT_MSG_NEWSETELEM) or take them out
// (NFT_MSG_DELSETELEM), each with as many elements as fit in 64 KiB. With `leading_end`, an
// interval end at address zero comes first in an interval set when the first CIDR does not
// start there: nft 1.0.6 sends one for interval sets, so the kernel then holds exactly what
// `nft -f` of the exported script gives it.
Status NftNetlink::AppendElements(nft_detail::Batch& batch, uint16_t type,
                                  const NftSetContents& set, bool leading_end, uint16_t flags) {
  using Kind = NftSetContents::Kind;
  MAMORI_ASSIGN_OR_RETURN(uint16_t family, FamilyNumber(set.name.family));
  const size_t count = set.size();
  bool leading = set.kind == Kind::kNetworks && leading_end && count > 0 &&
                 BoundsOf(set.networks.front()).start != Key{};
  size_t next = 0;
  while (leading || next < count) {
    nft_detail::Batch::Message m{NextSeq(), batch.used, &set, false, next, leading};
    nlmsghdr* nlh = PutSetMessageHeader(batch.Room(), type, family, flags, m.seq, set.name);
    nlattr* nest = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
    // The message may take elements up to this many bytes of its nest.
    const char* limit = reinterpret_cast<const char*>(nest) + kMaxElementsBytes - kMaxCidrBytes;
    auto room = [&] { return static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh)) <= limit; };
    if (leading) {
      PutElement(nlh, Key{}.data(), BoundsOf(set.networks.front()).len, true, false);
      leading = false;
    }
    switch (set.kind) {
      case Kind::kHostsV4:
        for (; next < count && room(); ++next) {
          uint32_t key = htobe32(set.hosts_v4[next]);
          PutElement(nlh, &key, 4, false, false);
        }
        break;
      case Kind::kHostsV6:
        for (; next < count && room(); ++next) {
          PutElement(nlh, set.hosts_v6[next].bytes().data(), 16, false, false);
        }
        break;
      case Kind::kNetworks:
        for (; next < count && room(); ++next) {
          Bounds b = BoundsOf(set.networks[next]);
          PutElement(nlh, b.start.data(), b.len, false, b.open);
          if (!b.open) PutElement(nlh, b.end.data(), b.len, true, false);
        }
        break;
    }
    mnl_attr_nest_end(nlh, nest);
    batch.Commit(nlh);
    batch.messages.push_back(m);
  }
  return Ok();
}

// Adds a DELSETELEM message without elements: the kernel flushes the set.
Status NftNetlink::AppendFlush(nft_detail::Batch& batch, const NftSetContents& set) {
  MAMORI_ASSIGN_OR_RETURN(uint16_t family, FamilyNumber(set.name.family));
  nft_detail::Batch::Message m{NextSeq(), batch.used, &set, true, 0, false};
  batch.Commit(PutSetMessageHeader(batch.Room(), NFT_MSG_DELSETELEM, family, 0, m.seq, set.name));
  batch.messages.push_back(m);
  return Ok();
}

namespace {

// "element 192.0.2.0/24" for the element of message `m` that starts at `offset` bytes into it,
// "table" or "set" when the kernel refused those attributes, empty when unknown.
std::string Describe(const nft_detail::Batch& batch, const nft_detail::Batch::Message& m,
                     std::optional<uint32_t> offset) {
  if (!offset) return "";
  const nlmsghdr* nlh = batch.At(m);
  const char* base = reinterpret_cast<const char*>(nlh);
  const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  for (auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, sizeof(nfgenmsg)));
       mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)));
       attr = mnl_attr_next(attr)) {
    uint32_t at = static_cast<uint32_t>(reinterpret_cast<const char*>(attr) - base);
    if (*offset < at || *offset >= at + attr->nla_len) continue;
    switch (mnl_attr_get_type(attr)) {
      case NFTA_SET_ELEM_LIST_TABLE:
        return fmt::format("table {}", m.set->name.table);
      case NFTA_SET_ELEM_LIST_SET:
        return fmt::format("set {}", m.set->name.set);
      case NFTA_SET_ELEM_LIST_ELEMENTS:
        break;
      default:
        return "";
    }
    if (m.flush) return "";
    // Elements come in pairs (start, end) per CIDR after the optional leading end (one per
    // address in a hash set); only the last CIDR of a sorted list can lack its end, so the
    // pair index finds the CIDR.
    const bool interval = m.set->kind == NftSetContents::Kind::kNetworks;
    size_t k = 0;
    const char* end =
        static_cast<const char*>(mnl_attr_get_payload(attr)) + mnl_attr_get_payload_len(attr);
    for (auto* element = static_cast<const nlattr*>(mnl_attr_get_payload(attr));
         mnl_attr_ok(element, static_cast<int>(end - reinterpret_cast<const char*>(element)));
         element = mnl_attr_next(element)) {
      uint32_t from = static_cast<uint32_t>(reinterpret_cast<const char*>(element) - base);
      if (*offset >= from && *offset < from + element->nla_len) {
        if (m.leading && k == 0) return "the interval end at address zero before the first element";
        size_t pair = (k - (m.leading ? 1 : 0)) / (interval ? 2 : 1);
        size_t index = std::min(m.first + pair, m.set->size() - 1);
        return fmt::format("element {}", ElementText(*m.set, index));
      }
      ++k;
    }
  }
  return "";
}

}  // namespace

Expected<std::vector<nft_detail::Reply>> NftNetlink::ReadReplies(
    const std::function<void(const nlmsghdr*)>& on_data) {
  std::vector<nft_detail::Reply> replies;
  std::vector<char> buf(kReplyBufferBytes);
  int fd = mnl_socket_get_fd(socket_.get());
  // The kernel handles a request inside sendmsg: when it returns, every reply is queued.
  for (;;) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == ENOBUFS) {  // replies were dropped: more errors than the socket holds
        replies.push_back({0, ENOBUFS, std::nullopt, ""});
        continue;
      }
      int err = errno;
      return MakeError(ErrorCode::kIo,
                       fmt::format("reading nftables' netlink replies: {}", std::strerror(err)));
    }
    int len = static_cast<int>(n);
    for (const nlmsghdr* nlh = reinterpret_cast<const nlmsghdr*>(buf.data());
         mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
      if (nlh->nlmsg_pid != 0 && nlh->nlmsg_pid != port_id_) continue;
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        replies.push_back(ParseError(nlh));
      } else if (nlh->nlmsg_type != NLMSG_DONE && on_data) {
        on_data(nlh);
      }
    }
  }
  return replies;
}

Status NftNetlink::Send(const nft_detail::Batch& batch, uint32_t begin_seq, uint32_t ack_seq) {
  // The whole batch goes in one sendmsg; the default send buffer (net.core.wmem_default) is far
  // smaller than a batch of a million elements. SO_SNDBUFFORCE needs CAP_NET_ADMIN, as nft
  // itself does.
  int size = static_cast<int>(std::min<size_t>(batch.used + 4096, 1u << 30));
  int fd = mnl_socket_get_fd(socket_.get());
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  }
  if (mnl_socket_sendto(socket_.get(), batch.buf.data(), batch.used) < 0) {
    int err = errno;
    std::string why = err == EMSGSIZE
                          ? fmt::format(
                                " (the batch has {} bytes, more than the socket may send: "
                                "mamori needs CAP_NET_ADMIN to raise its send buffer)",
                                batch.used)
                          : Hint(err);
    return MakeError(CodeOf(err),
                     fmt::format("sending the nftables batch: {}{}", std::strerror(err), why));
  }
  MAMORI_ASSIGN_OR_RETURN(std::vector<nft_detail::Reply> replies, ReadReplies(nullptr));
  bool acked = false;
  for (const nft_detail::Reply& r : replies) {
    if (r.error == 0) {
      acked = acked || r.seq == ack_seq;
      continue;
    }
    // The first error is the one to report; the kernel then reverted the whole batch.
    const nft_detail::Batch::Message* m = batch.Find(r.seq);
    std::string what = m != nullptr ? SetText(m->set->name) : "the batch";
    std::string element = m != nullptr ? Describe(batch, *m, r.offset) : "";
    if (m == nullptr && r.seq == begin_seq) what = "the batch";
    std::string message = fmt::format("nftables refused {}{}: {}{}{}", what,
                                      element.empty() ? "" : ", " + element, std::strerror(r.error),
                                      r.text.empty() ? "" : " (" + r.text + ")", Hint(r.error));
    return MakeError(CodeOf(r.error), std::move(message));
  }
  if (!acked) {
    return MakeError(ErrorCode::kInternal,
                     "nftables did not acknowledge the batch (no reply from the kernel)");
  }
  return Ok();
}

namespace {

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Status NftNetlink::Run(const std::function<Status(nft_detail::Batch&)>& fill) {
  auto t0 = std::chrono::steady_clock::now();
  last_batch_ = {};
  nft_detail::Batch batch;
  uint32_t begin_seq = NextSeq();
  batch.Commit(nftnl_batch_begin(batch.Room(), begin_seq));
  MAMORI_RETURN_IF_ERROR(fill(batch));
  if (batch.messages.empty()) return Ok();
  // Only the last message asks for an acknowledgement: errors come back for any message, and
  // one ack per message would be thousands of replies for a large list.
  batch.At(batch.messages.back())->nlmsg_flags |= NLM_F_ACK;
  uint32_t ack_seq = batch.messages.back().seq;
  batch.Commit(nftnl_batch_end(batch.Room(), NextSeq()));
  last_batch_.build_ms = MsSince(t0);
  last_batch_.bytes = batch.used;
  auto t1 = std::chrono::steady_clock::now();
  Status sent = Send(batch, begin_seq, ack_seq);
  last_batch_.kernel_ms = MsSince(t1);
  return sent;
}

Status NftNetlink::Replace(std::span<const NftSetContents> sets) {
  return Run([&](nft_detail::Batch& batch) -> Status {
    // All flushes first, then all elements: the same order as the `nft -f` script.
    for (const NftSetContents& s : sets) MAMORI_RETURN_IF_ERROR(AppendFlush(batch, s));
    for (const NftSetContents& s : sets) {
      MAMORI_RETURN_IF_ERROR(AppendElements(batch, NFT_MSG_NEWSETELEM, s, true, NLM_F_CREATE));
    }
    return Ok();
  });
}

namespace {

// One element as the contents of its set, for Add and Delete.
NftSetContents One(const NftSetName& set, const Cidr& element, bool interval,
                   uint32_t& v4_scratch) {
  NftSetContents c;
  c.name = set;
  if (interval) {
    c.kind = NftSetContents::Kind::kNetworks;
    c.networks = std::span<const Cidr>(&element, 1);
  } else if (element.network().is_v4()) {
    c.kind = NftSetContents::Kind::kHostsV4;
    v4_scratch = element.network().v4();
    c.hosts_v4 = std::span<const uint32_t>(&v4_scratch, 1);
  } else {
    c.kind = NftSetContents::Kind::kHostsV6;
    c.hosts_v6 = std::span<const IpAddress>(&element.network(), 1);
  }
  return c;
}

// A hash set holds single addresses only; an interval set takes both.
Status FitsTheSet(const NftSetName& set, const Cidr& element, bool interval) {
  if (!interval && !element.is_host()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} is a network; {} holds single addresses", ElementText(element),
                                 SetText(set)));
  }
  return Ok();
}

}  // namespace

Status NftNetlink::Add(const NftSetName& set, const Cidr& element, bool interval) {
  MAMORI_RETURN_IF_ERROR(FitsTheSet(set, element, interval));
  uint32_t v4 = 0;
  NftSetContents one = One(set, element, interval, v4);
  // No NLM_F_EXCL: an identical element is then no error (the kernel keeps the one it has).
  return Run([&](nft_detail::Batch& batch) {
    return AppendElements(batch, NFT_MSG_NEWSETELEM, one, false, NLM_F_CREATE);
  });
}

Status NftNetlink::Delete(const NftSetName& set, const Cidr& element, bool interval) {
  MAMORI_RETURN_IF_ERROR(FitsTheSet(set, element, interval));
  uint32_t v4 = 0;
  NftSetContents one = One(set, element, interval, v4);
  return Run([&](nft_detail::Batch& batch) {
    return AppendElements(batch, NFT_MSG_DELSETELEM, one, false, 0);
  });
}

Status NftNetlink::Ask(nft_detail::Request& request) {
  request.nlh->nlmsg_flags |= NLM_F_ACK;
  uint32_t seq = request.nlh->nlmsg_seq;
  if (mnl_socket_sendto(socket_.get(), request.nlh, request.nlh->nlmsg_len) < 0) {
    int err = errno;
    return MakeError(CodeOf(err),
                     fmt::format("sending an nftables query: {}{}", std::strerror(err), Hint(err)));
  }
  MAMORI_ASSIGN_OR_RETURN(std::vector<nft_detail::Reply> replies, ReadReplies(request.on_data));
  for (const nft_detail::Reply& r : replies) {
    if (r.seq == seq && r.error != 0) {
      return MakeError(CodeOf(r.error),
                       fmt::format("nftables query: {}{}", std::strerror(r.error), Hint(r.error)));
    }
  }
  return Ok();
}

// The start key of the interval of `set` that holds address `key` (the kernel looks it up in the
// set, no listing), or nullopt when no interval holds it.
Expected<std::optional<Key>> NftNetlink::IntervalStart(const NftSetName& set, const Key& key,
                                                       uint32_t len) {
  MAMORI_ASSIGN_OR_RETURN(uint16_t family, FamilyNumber(set.family));
  nft_detail::Request request;
  request.nlh =
      PutSetMessageHeader(request.buf.data(), NFT_MSG_GETSETELEM, family, 0, NextSeq(), set);
  nlattr* nest = mnl_attr_nest_start(request.nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
  PutElement(request.nlh, key.data(), len, false, false);
  mnl_attr_nest_end(request.nlh, nest);

  std::optional<Key> start;
  request.on_data = [&](const nlmsghdr* nlh) {
    std::unique_ptr<nftnl_set, void (*)(const nftnl_set*)> s(nftnl_set_alloc(), nftnl_set_free);
    if (!s || nftnl_set_elems_nlmsg_parse(nlh, s.get()) < 0) return;
    nftnl_set_elem_foreach(
        s.get(),
        [](nftnl_set_elem* elem, void* data) {
          uint32_t flags = nftnl_set_elem_is_set(elem, NFTNL_SET_ELEM_FLAGS)
                               ? nftnl_set_elem_get_u32(elem, NFTNL_SET_ELEM_FLAGS)
                               : 0;
          uint32_t n = 0;
          const void* k = nftnl_set_elem_get(elem, NFTNL_SET_ELEM_KEY, &n);
          if ((flags & NFT_SET_ELEM_INTERVAL_END) == 0 && k != nullptr && n <= 16) {
            Key found{};
            std::memcpy(found.data(), k, n);
            *static_cast<std::optional<Key>*>(data) = found;
          }
          return 0;
        },
        &start);
  };
  Status asked = Ask(request);
  if (!asked) {
    if (asked.error().code == ErrorCode::kNotFound) return std::optional<Key>();
    Error e2 = asked.error();
    e2.message += fmt::format(" (looking up an element of {})", SetText(set));
    return tl::unexpected(std::move(e2));
  }
  return start;
}

Expected<bool> NftNetlink::Covers(const NftSetName& set, const Cidr& cidr) {
  // The intervals of the set do not overlap, so the CIDR lies inside one exactly when its first
  // and its last address are in the interval with the same start.
  Bounds b = BoundsOf(cidr);
  MAMORI_ASSIGN_OR_RETURN(std::optional<Key> first, IntervalStart(set, b.start, b.len));
  if (!first) return false;
  if (cidr.is_host()) return true;
  MAMORI_ASSIGN_OR_RETURN(std::optional<Key> last,
                          IntervalStart(set, cidr.LastAddress().bytes(), b.len));
  return last && *last == *first;
}

Expected<bool> NftNetlink::SetExists(const NftSetName& set) {
  MAMORI_ASSIGN_OR_RETURN(uint16_t family, FamilyNumber(set.family));
  nft_detail::Request request;
  request.nlh = nftnl_nlmsg_build_hdr(request.buf.data(), NFT_MSG_GETSET, family, 0, NextSeq());
  mnl_attr_put_strz(request.nlh, NFTA_SET_TABLE, set.table.c_str());
  mnl_attr_put_strz(request.nlh, NFTA_SET_NAME, set.set.c_str());
  Status asked = Ask(request);
  if (!asked && asked.error().code == ErrorCode::kNotFound) return false;
  MAMORI_RETURN_IF_ERROR(asked);
  return true;
}

}  // namespace mamori::rse::blocklist
