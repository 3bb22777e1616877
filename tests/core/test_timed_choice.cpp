#include <gtest/gtest.h>

#include <limits>

#include "msopt/core/error.hpp"
#include "msopt/core/timed_choice.hpp"

using msopt::TimedChoice;

TEST(TimedChoice, AlternatesThenKeepsTheWayWithTheShorterBestTime) {
  TimedChoice choice(2);
  const double times[] = {3.0, 2.5, 1.0, 2.0};  // first way: 3, 1 (best 1); second way: 2.5, 2 (best 2)
  for (int call = 0; call < 4; ++call) {
    EXPECT_FALSE(choice.settled());
    EXPECT_EQ(choice.second(), call % 2 == 1) << "call " << call;
    choice.record(times[call]);
  }
  EXPECT_TRUE(choice.settled());
  EXPECT_FALSE(choice.second());
  EXPECT_EQ(choice.best(false), 1.0);
  EXPECT_EQ(choice.best(true), 2.0);
  choice.record(0.1);  // settled: later times change nothing
  EXPECT_FALSE(choice.second());
  EXPECT_EQ(choice.best(false), 1.0);

  TimedChoice faster_second(1);
  faster_second.record(1.0);
  faster_second.record(0.5);
  EXPECT_TRUE(faster_second.settled());
  EXPECT_TRUE(faster_second.second());
}

TEST(TimedChoice, TiesKeepTheFirstWayAndSettleEndsTheTrials) {
  TimedChoice tie(1);
  tie.record(1.0);
  tie.record(1.0);
  EXPECT_FALSE(tie.second());
  TimedChoice forced(3);
  forced.record(1.0);
  forced.settle(true);
  EXPECT_TRUE(forced.settled());
  EXPECT_TRUE(forced.second());
  forced.record(0.0);
  EXPECT_TRUE(forced.second());
  EXPECT_EQ(TimedChoice().best(true), std::numeric_limits<double>::infinity());
  EXPECT_THROW(TimedChoice(0), msopt::Error);
}
