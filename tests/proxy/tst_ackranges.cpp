#include "proxy/broker/ackranges.h"

#include <QtTest>

using Proxy::AckRanges;
using Ranges = std::vector<std::pair<qint64, qint64>>;
Q_DECLARE_METATYPE(Ranges)

class TestAckRanges final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void insertMerges_data();
    void insertMerges();
    void markDeleteJumpsOverLeadingRange();
    void gapsAndContains();
    void millionAcksBehindOneStuckMessageIsOneRange();
};

void TestAckRanges::insertMerges_data()
{
    QTest::addColumn<Ranges>("inserts");
    QTest::addColumn<Ranges>("expected");
    QTest::addColumn<qint64>("count");
    QTest::addRow("single") << Ranges{{5, 5}} << Ranges{{5, 5}} << qint64(1);
    QTest::addRow("adjacent after") << Ranges{{5, 5}, {6, 6}} << Ranges{{5, 6}} << qint64(2);
    QTest::addRow("adjacent before") << Ranges{{6, 6}, {5, 5}} << Ranges{{5, 6}} << qint64(2);
    QTest::addRow("gap kept") << Ranges{{5, 5}, {7, 7}} << Ranges{{5, 5}, {7, 7}} << qint64(2);
    QTest::addRow("gap filled") << Ranges{{5, 5}, {7, 7}, {6, 6}} << Ranges{{5, 7}} << qint64(3);
    QTest::addRow("duplicate") << Ranges{{5, 5}, {5, 5}} << Ranges{{5, 5}} << qint64(1);
    QTest::addRow("range swallows two") << Ranges{{2, 3}, {8, 9}, {1, 10}} << Ranges{{1, 10}} << qint64(10);
    QTest::addRow("overlap left") << Ranges{{5, 9}, {3, 6}} << Ranges{{3, 9}} << qint64(7);
    QTest::addRow("overlap right") << Ranges{{5, 9}, {8, 12}} << Ranges{{5, 12}} << qint64(8);
    QTest::addRow("inside") << Ranges{{5, 9}, {6, 7}} << Ranges{{5, 9}} << qint64(5);
    QTest::addRow("empty range ignored") << Ranges{{5, 4}} << Ranges{} << qint64(0);
}

void TestAckRanges::insertMerges()
{
    QFETCH(Ranges, inserts);
    QFETCH(Ranges, expected);
    QFETCH(qint64, count);
    AckRanges ranges;
    for (const auto &r : inserts)
        ranges.insertRange(r.first, r.second);
    QCOMPARE(ranges.ranges(), expected);
    QCOMPARE(ranges.count(), count);
}

void TestAckRanges::markDeleteJumpsOverLeadingRange()
{
    AckRanges ranges;
    ranges.insertRange(3, 9);
    ranges.insert(12);
    // Mark-delete at 1: entry 2 is not acked yet, nothing to take.
    QCOMPARE(ranges.takeLeadingRangeFrom(2), qint64(1));
    ranges.insert(2);
    QCOMPARE(ranges.takeLeadingRangeFrom(2), qint64(9));
    QCOMPARE(ranges.ranges(), (Ranges{{12, 12}}));
    QCOMPARE(ranges.count(), qint64(1));
}

void TestAckRanges::gapsAndContains()
{
    AckRanges ranges;
    ranges.insertRange(10, 19);
    ranges.insertRange(21, 21);
    QVERIFY(!ranges.contains(9));
    QVERIFY(ranges.contains(10));
    QVERIFY(ranges.contains(19));
    QVERIFY(!ranges.contains(20));
    QVERIFY(ranges.contains(21));
    QCOMPARE(ranges.firstGapFrom(5), qint64(5));
    QCOMPARE(ranges.firstGapFrom(10), qint64(20));
    QCOMPARE(ranges.firstGapFrom(15), qint64(20));
    QCOMPARE(ranges.firstGapFrom(21), qint64(22));
}

void TestAckRanges::millionAcksBehindOneStuckMessageIsOneRange()
{
    AckRanges ranges;
    for (qint64 e = 1; e <= 1000000; ++e)
        ranges.insert(e);
    QCOMPARE(ranges.rangeCount(), 1);
    QCOMPARE(ranges.count(), qint64(1000000));
    QCOMPARE(ranges.takeLeadingRangeFrom(0), qint64(-1)); // entry 0 is the stuck one
}

QTEST_GUILESS_MAIN(TestAckRanges)
#include "tst_ackranges.moc"
