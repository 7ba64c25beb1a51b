#include "feeds/parsers/stix_pattern.h"

#include <fmt/format.h>

#include <utility>

namespace mamori::feeds::parsers {

namespace {

enum class Tok {
  kLBracket,
  kRBracket,
  kLParen,
  kRParen,
  kComma,
  kString,    // 'text'
  kConstant,  // any other literal: numbers, true/false, t'..', h'..', b'..'
  kPath,      // object path, e.g. file:hashes.'SHA-256'
  kKeyword,   // AND, OR, NOT, IN, LIKE, ... (upper-cased)
  kOp,        // = != < > <= >=
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
};

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdent(char c) { return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-'; }

constexpr std::string_view kKeywords[] = {
    "AND",        "OR",     "NOT",    "IN",      "LIKE",    "MATCHES", "ISSUBSET", "ISSUPERSET",
    "FOLLOWEDBY", "EXISTS", "WITHIN", "SECONDS", "REPEATS", "TIMES",   "START",    "STOP"};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Expected<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() &&
             (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
        ++i_;
      }
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      switch (c) {
        case '[':
          out.push_back({Tok::kLBracket, "["});
          ++i_;
          continue;
        case ']':
          out.push_back({Tok::kRBracket, "]"});
          ++i_;
          continue;
        case '(':
          out.push_back({Tok::kLParen, "("});
          ++i_;
          continue;
        case ')':
          out.push_back({Tok::kRParen, ")"});
          ++i_;
          continue;
        case ',':
          out.push_back({Tok::kComma, ","});
          ++i_;
          continue;
        default:
          break;
      }
      if (c == '\'') {
        MAMORI_ASSIGN_OR_RETURN(std::string text, Quoted());
        out.push_back({Tok::kString, std::move(text)});
        continue;
      }
      if (c == '=' || c == '<' || c == '>' || c == '!') {
        std::string op(1, c);
        ++i_;
        if (i_ < s_.size() && s_[i_] == '=') {
          op.push_back('=');
          ++i_;
        }
        if (op == "!") return Fail("'!' must be followed by '='");
        out.push_back({Tok::kOp, std::move(op)});
        continue;
      }
      if (IsDigit(c) || ((c == '-' || c == '+') && i_ + 1 < s_.size() && IsDigit(s_[i_ + 1]))) {
        size_t b = i_++;
        while (i_ < s_.size() && (IsDigit(s_[i_]) || s_[i_] == '.')) ++i_;
        out.push_back({Tok::kConstant, std::string(s_.substr(b, i_ - b))});
        continue;
      }
      if (IsAlpha(c)) {
        // t'2024-01-01T00:00:00Z', h'ff00', b'AAEC': typed literals.
        if ((c == 't' || c == 'h' || c == 'b') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
          ++i_;
          MAMORI_ASSIGN_OR_RETURN(std::string text, Quoted());
          out.push_back({Tok::kConstant, std::string(1, c) + "'" + text + "'"});
          continue;
        }
        size_t b = i_;
        while (i_ < s_.size() && IsIdent(s_[i_])) ++i_;
        std::string word(s_.substr(b, i_ - b));
        if (i_ < s_.size() && s_[i_] == ':') {
          ++i_;
          MAMORI_ASSIGN_OR_RETURN(std::string path, PathRest(word));
          out.push_back({Tok::kPath, std::move(path)});
          continue;
        }
        if (word == "true" || word == "false") {
          out.push_back({Tok::kConstant, std::move(word)});
          continue;
        }
        bool keyword = false;
        for (std::string_view k : kKeywords) keyword = keyword || word == k;
        if (!keyword) return Fail(fmt::format("unexpected word '{}'", word));
        out.push_back({Tok::kKeyword, std::move(word)});
        continue;
      }
      return Fail(fmt::format("unexpected character '{}'", c));
    }
    out.push_back({Tok::kEnd, ""});
    return out;
  }

 private:
  tl::unexpected<Error> Fail(std::string why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("STIX pattern syntax error at offset {}: {}", i_, why));
  }

  // A '...' literal starting at i_; STIX allows only the escapes \' and \\.
  Expected<std::string> Quoted() {
    std::string out;
    ++i_;  // opening quote
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '\'') return out;
      if (c == '\\') {
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '\\')) {
          return Fail("only \\' and \\\\ may be escaped in a string");
        }
        out.push_back(s_[i_++]);
        continue;
      }
      out.push_back(c);
    }
    return Fail("unterminated string");
  }

  // The property part of an object path, after "<type>:": names, quoted names, '.' and list
  // indexes ("[0]", "[*]"). Returns "<type>:<part>.<part>[*]" with quotes removed.
  Expected<std::string> PathRest(const std::string& object_type) {
    std::string path = object_type + ":";
    bool need_part = true;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (need_part) {
        if (c == '\'') {
          MAMORI_ASSIGN_OR_RETURN(std::string part, Quoted());
          path += part;
        } else if (IsIdent(c)) {
          size_t b = i_;
          while (i_ < s_.size() && IsIdent(s_[i_])) ++i_;
          path += s_.substr(b, i_ - b);
        } else {
          return Fail("object path needs a property name");
        }
        need_part = false;
      } else if (c == '.') {
        path.push_back('.');
        ++i_;
        need_part = true;
      } else if (c == '[') {
        size_t close = s_.find(']', i_);
        if (close == std::string_view::npos) return Fail("unclosed list index");
        std::string_view index = s_.substr(i_ + 1, close - i_ - 1);
        bool ok = index == "*" || !index.empty();
        for (char d : index) ok = ok && (IsDigit(d) || index == "*");
        if (!ok) return Fail("list index must be a number or '*'");
        path += s_.substr(i_, close - i_ + 1);
        i_ = close + 1;
      } else {
        break;
      }
    }
    if (need_part) return Fail("object path ends with '.'");
    return path;
  }

  std::string_view s_;
  size_t i_ = 0;
};

std::string HashKey(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    key.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  }
  return key;
}

// What a value at `path` may normalize to; empty for paths we do not turn into entries.
TypeSet TypesForPath(std::string_view path) {
  if (path == "domain-name:value") return {IndicatorType::kDomain};
  if (path == "ipv4-addr:value") return {IndicatorType::kIpv4, IndicatorType::kCidr};
  if (path == "ipv6-addr:value") return {IndicatorType::kIpv6, IndicatorType::kCidr};
  if (path == "url:value") return {IndicatorType::kUrl};
  if (path.starts_with("file:hashes.")) {
    std::string key = HashKey(path.substr(12));
    if (key == "MD5") return {IndicatorType::kMd5};
    if (key == "SHA1") return {IndicatorType::kSha1};
    if (key == "SHA256") return {IndicatorType::kSha256};
  }
  return {};
}

// Recursive descent over the token list, evaluating as it goes: each production returns the
// alternatives it stands for (see the header for the rules).
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Expected<StixPatternResult> Run() {
    MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, ObservationExpressions());
    if (Peek().kind != Tok::kEnd) return Fail("unexpected '" + Peek().text + "'");
    return result;
  }

 private:
  static constexpr int kMaxDepth = 64;  // hostile nesting must not exhaust the stack

  const Token& Peek() const { return t_[pos_]; }
  bool AcceptKeyword(std::string_view k) {
    if (Peek().kind == Tok::kKeyword && Peek().text == k) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Accept(Tok kind) {
    if (Peek().kind == kind) {
      ++pos_;
      return true;
    }
    return false;
  }
  tl::unexpected<Error> Fail(std::string why) const {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("STIX pattern syntax error at token {}: {}", pos_ + 1, why));
  }
  static StixPatternResult Unsupported(std::string why) {
    StixPatternResult r;
    r.unsupported.push_back("unsupported pattern: " + std::move(why));
    return r;
  }
  static void Append(StixPatternResult& into, StixPatternResult&& from) {
    for (auto& term : from.terms) into.terms.push_back(std::move(term));
    for (auto& u : from.unsupported) into.unsupported.push_back(std::move(u));
    for (auto& i : from.invalid) into.invalid.push_back(std::move(i));
  }

  // Parses `part (KEYWORD part)*`. Alternatives joined by OR are unioned; any other joiner
  // makes the whole chain a single unsupported alternative.
  template <typename Part>
  Expected<StixPatternResult> Chain(std::string_view keyword, std::string_view unsupported_why,
                                    Part part) {
    if (++depth_ > kMaxDepth) return Fail("nested too deeply");
    MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, part());
    bool joined = false;
    while (AcceptKeyword(keyword)) {
      MAMORI_ASSIGN_OR_RETURN(StixPatternResult next, part());
      Append(result, std::move(next));
      joined = true;
    }
    --depth_;
    if (joined && !unsupported_why.empty()) return Unsupported(std::string(unsupported_why));
    return result;
  }

  Expected<StixPatternResult> ObservationExpressions() {
    return Chain("FOLLOWEDBY", "FOLLOWEDBY (a sequence of observations)",
                 [&] { return ObservationOr(); });
  }
  Expected<StixPatternResult> ObservationOr() {
    return Chain("OR", "", [&] { return ObservationAnd(); });
  }
  Expected<StixPatternResult> ObservationAnd() {
    return Chain("AND", "AND between observations", [&] { return QualifiedObservation(); });
  }

  Expected<StixPatternResult> QualifiedObservation() {
    MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, Observation());
    std::string qualifier;
    while (true) {
      if (AcceptKeyword("WITHIN")) {
        if (!Accept(Tok::kConstant) || !AcceptKeyword("SECONDS")) {
          return Fail("WITHIN needs '<number> SECONDS'");
        }
        qualifier = "WITHIN";
      } else if (AcceptKeyword("REPEATS")) {
        if (!Accept(Tok::kConstant) || !AcceptKeyword("TIMES")) {
          return Fail("REPEATS needs '<number> TIMES'");
        }
        qualifier = "REPEATS";
      } else if (AcceptKeyword("START")) {
        if (!Accept(Tok::kConstant) || !AcceptKeyword("STOP") || !Accept(Tok::kConstant)) {
          return Fail("START needs t'...' STOP t'...'");
        }
        qualifier = "START/STOP";
      } else {
        break;
      }
    }
    if (!qualifier.empty()) return Unsupported("qualifier " + qualifier);
    return result;
  }

  Expected<StixPatternResult> Observation() {
    if (Accept(Tok::kLBracket)) {
      MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, ComparisonOr());
      if (!Accept(Tok::kRBracket)) return Fail("expected ']'");
      return result;
    }
    if (Accept(Tok::kLParen)) {
      MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, ObservationExpressions());
      if (!Accept(Tok::kRParen)) return Fail("expected ')'");
      return result;
    }
    return Fail("expected '[' or '('");
  }

  Expected<StixPatternResult> ComparisonOr() {
    return Chain("OR", "", [&] { return ComparisonAnd(); });
  }
  Expected<StixPatternResult> ComparisonAnd() {
    return Chain("AND", "AND between comparisons", [&] { return ComparisonPrimary(); });
  }

  Expected<StixPatternResult> ComparisonPrimary() {
    if (Accept(Tok::kLParen)) {
      if (++depth_ > kMaxDepth) return Fail("nested too deeply");
      MAMORI_ASSIGN_OR_RETURN(StixPatternResult result, ComparisonOr());
      --depth_;
      if (!Accept(Tok::kRParen)) return Fail("expected ')'");
      return result;
    }
    if (AcceptKeyword("EXISTS")) {
      if (!Accept(Tok::kPath)) return Fail("EXISTS needs an object path");
      return Unsupported("EXISTS");
    }
    if (Peek().kind != Tok::kPath) return Fail("expected an object path");
    std::string path = t_[pos_++].text;
    bool negated = AcceptKeyword("NOT");
    std::string op;
    if (Peek().kind == Tok::kOp || Peek().kind == Tok::kKeyword) {
      op = t_[pos_++].text;
    } else {
      return Fail("expected a comparison operator");
    }
    std::vector<Token> constants;
    if (op == "IN") {
      if (!Accept(Tok::kLParen)) return Fail("IN needs a '(' list ')'");
      do {
        if (Peek().kind != Tok::kString && Peek().kind != Tok::kConstant) {
          return Fail("IN list needs constants");
        }
        constants.push_back(t_[pos_++]);
      } while (Accept(Tok::kComma));
      if (!Accept(Tok::kRParen)) return Fail("IN list needs ')'");
    } else if (op == "=" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=" ||
               op == "LIKE" || op == "MATCHES" || op == "ISSUBSET" || op == "ISSUPERSET") {
      if (Peek().kind != Tok::kString && Peek().kind != Tok::kConstant) {
        return Fail("expected a constant after " + op);
      }
      constants.push_back(t_[pos_++]);
    } else {
      return Fail("'" + op + "' is not a comparison operator");
    }

    if (negated) return Unsupported("NOT");
    TypeSet types = TypesForPath(path);
    if (types.empty()) return Unsupported("object path " + path);
    bool address = path == "ipv4-addr:value" || path == "ipv6-addr:value";
    if (op != "=" && op != "IN" && !(op == "ISSUBSET" && address)) {
      return Unsupported("operator " + op);
    }
    StixPatternResult result;
    for (Token& constant : constants) {
      if (constant.kind != Tok::kString) {
        result.unsupported.push_back("unsupported pattern: non-string constant for " + path);
        continue;
      }
      bool has_colon = constant.text.find(':') != std::string::npos;
      if ((path == "ipv4-addr:value" && has_colon) || (path == "ipv6-addr:value" && !has_colon)) {
        result.invalid.push_back(
            fmt::format("'{}' is not an address of the family {} names", constant.text, path));
        continue;
      }
      result.terms.push_back({path, std::move(constant.text), types});
    }
    return result;
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Expected<StixPatternResult> ParseStixPattern(std::string_view pattern) {
  MAMORI_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(pattern).Run());
  return Parser(std::move(tokens)).Run();
}

}  // namespace mamori::feeds::parsers
