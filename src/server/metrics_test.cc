#include "server/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::server {
namespace {

TEST(RouteTemplateTest, IdsBecomePlaceholdersAndForeignPathsOther) {
  EXPECT_EQ(RouteTemplate("/api/v1/sources"), "/api/v1/sources");
  EXPECT_EQ(RouteTemplate("/api/v1/sources/abuse.ch"), "/api/v1/sources/{id}");
  EXPECT_EQ(RouteTemplate("/api/v1/actions/12/approve"), "/api/v1/actions/{id}/approve");
  EXPECT_EQ(RouteTemplate("/api/v1/indicators/203.0.113.0/24"), "/api/v1/indicators/{id}/{id}");
  EXPECT_EQ(RouteTemplate("/api/v1/Weird%20Path"), "/api/v1/{id}");
  EXPECT_EQ(RouteTemplate("/edl/fw1.txt"), "/edl/{id}");
  EXPECT_EQ(RouteTemplate("/metrics"), "/metrics");
  EXPECT_EQ(RouteTemplate("/"), "/");
  EXPECT_EQ(RouteTemplate("/wp-login.php"), "other");
}

TEST(HttpMetricsTest, CountsAndHistogramAreCumulativeAndLabelsBounded) {
  HttpMetrics m;
  m.Observe("GET", "/api/v1/sources", 200, 0.002);
  m.Observe("GET", "/api/v1/sources", 200, 0.3);
  m.Observe("GET", "/api/v1/sources", 401, 5.0);
  std::string text = m.Render();
  EXPECT_NE(text.find("mamori_http_requests_total{method=\"GET\",route=\"/api/v1/sources\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("_bucket{route=\"/api/v1/sources\",le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/api/v1/sources\",le=\"0.5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/api/v1/sources\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("_count{route=\"/api/v1/sources\"} 3\n"), std::string::npos);

  // A scanner's made-up API words stop adding labels at the cap.
  for (int i = 0; i < 1000; ++i) {
    std::string word(1, static_cast<char>('a' + i % 26));
    word += std::string(1, static_cast<char>('a' + i / 26 % 26));
    word += std::string(1, static_cast<char>('a' + i / 676 % 26));
    m.Observe("GET", "/api/v1/" + word, 401, 0.001);
  }
  text = m.Render();
  size_t labels = 0;
  for (size_t at = 0; (at = text.find("_count{route=", at)) != std::string::npos; ++at) ++labels;
  EXPECT_LE(labels, HttpMetrics::kMaxRoutes + 1);
  EXPECT_NE(text.find("_count{route=\"other\"}"), std::string::npos);
}

}  // namespace
}  // namespace mamori::server
