#include "protocol/timeformat.h"

#include <QtTest>

#include <ctime>

using namespace Pulsar;

// Every expected string and error below was produced by Java 17's DateTimeFormatter.ISO_OFFSET_DATE_TIME
// (jshell), the formatter Pulsar's DateFormatter uses. Note that Java prints the seconds even when they are zero
// ("2021-10-29T23:01:00Z"): the formatter's optional sections print whenever the field exists.
class Tst_timeformat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void format_data();
    void format();
    void parse_data();
    void parse();
    void roundTrip_data();
    void roundTrip();
    void formatLocal();
};

void Tst_timeformat::format_data()
{
    QTest::addColumn<qint64>("epochMs");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("expected");

    // Spec 3.0's examples first.
    QTest::addRow("spec -07:00") << Q_INT64_C(1635548498967) << -25200 << "2021-10-29T16:01:38.967-07:00";
    QTest::addRow("spec 120 ms UTC") << Q_INT64_C(1635548498120) << 0 << "2021-10-29T23:01:38.12Z";
    QTest::addRow("spec 0 ms") << Q_INT64_C(1635548498000) << 0 << "2021-10-29T23:01:38Z";
    QTest::addRow("spec +05:30") << Q_INT64_C(1635548498100) << 19800 << "2021-10-30T04:31:38.1+05:30";
    QTest::addRow("f0") << Q_INT64_C(1635548460000) << 0 << QStringLiteral("2021-10-29T23:01:00Z");
    QTest::addRow("f1") << Q_INT64_C(1635548498967) << -25200 << QStringLiteral("2021-10-29T16:01:38.967-07:00");
    QTest::addRow("f2") << Q_INT64_C(1635548498120) << 0 << QStringLiteral("2021-10-29T23:01:38.12Z");
    QTest::addRow("f3") << Q_INT64_C(1635548498000) << 0 << QStringLiteral("2021-10-29T23:01:38Z");
    QTest::addRow("f4") << Q_INT64_C(1635548498100) << 19800 << QStringLiteral("2021-10-30T04:31:38.1+05:30");
    QTest::addRow("f5") << Q_INT64_C(0) << 0 << QStringLiteral("1970-01-01T00:00:00Z");
    QTest::addRow("f6") << Q_INT64_C(-1) << 0 << QStringLiteral("1969-12-31T23:59:59.999Z");
    QTest::addRow("f7") << Q_INT64_C(-62167219200001) << 0 << QStringLiteral("-0001-12-31T23:59:59.999Z");
    QTest::addRow("f8") << Q_INT64_C(253402300800000) << 0 << QStringLiteral("+10000-01-01T00:00:00Z");
    QTest::addRow("f9") << Q_INT64_C(9223372036854775807) << 0 << QStringLiteral("+292278994-08-17T07:12:55.807Z");
    QTest::addRow("f10") << std::numeric_limits<qint64>::min() << 0 << QStringLiteral("-292275055-05-16T16:47:04.192Z");
    QTest::addRow("f11") << Q_INT64_C(1000) << 3723 << QStringLiteral("1970-01-01T01:02:04+01:02:03");
    QTest::addRow("f12") << Q_INT64_C(1000) << -3723 << QStringLiteral("1969-12-31T22:57:58-01:02:03");
    QTest::addRow("f13") << Q_INT64_C(1) << 0 << QStringLiteral("1970-01-01T00:00:00.001Z");
    QTest::addRow("f14") << Q_INT64_C(10) << 0 << QStringLiteral("1970-01-01T00:00:00.01Z");
    QTest::addRow("f15") << Q_INT64_C(100) << 0 << QStringLiteral("1970-01-01T00:00:00.1Z");
    QTest::addRow("f16") << Q_INT64_C(-62135596800000) << 0 << QStringLiteral("0001-01-01T00:00:00Z");
    QTest::addRow("f17") << Q_INT64_C(-62198755200000) << 0 << QStringLiteral("-0001-01-01T00:00:00Z");
    QTest::addRow("f18") << Q_INT64_C(1635548498001) << 0 << QStringLiteral("2021-10-29T23:01:38.001Z");
    QTest::addRow("f19") << Q_INT64_C(1635548498010) << 0 << QStringLiteral("2021-10-29T23:01:38.01Z");
    QTest::addRow("f20") << Q_INT64_C(1635548498999) << 0 << QStringLiteral("2021-10-29T23:01:38.999Z");
    QTest::addRow("f21") << Q_INT64_C(951782400000) << 0 << QStringLiteral("2000-02-29T00:00:00Z");
    QTest::addRow("f22") << Q_INT64_C(-1000) << 0 << QStringLiteral("1969-12-31T23:59:59Z");
    QTest::addRow("f23") << Q_INT64_C(-999) << 0 << QStringLiteral("1969-12-31T23:59:59.001Z");
    QTest::addRow("f24") << Q_INT64_C(-86400000) << 0 << QStringLiteral("1969-12-31T00:00:00Z");
    QTest::addRow("f25") << Q_INT64_C(4102444800000) << 0 << QStringLiteral("2100-01-01T00:00:00Z");
    QTest::addRow("f26") << Q_INT64_C(1635548498120) << 3600 << QStringLiteral("2021-10-30T00:01:38.12+01:00");
    QTest::addRow("f27") << Q_INT64_C(1635548498120) << -3600 << QStringLiteral("2021-10-29T22:01:38.12-01:00");
    QTest::addRow("f28") << Q_INT64_C(1635548498120) << 64800 << QStringLiteral("2021-10-30T17:01:38.12+18:00");
    QTest::addRow("f29") << Q_INT64_C(1635548498120) << -64800 << QStringLiteral("2021-10-29T05:01:38.12-18:00");
    QTest::addRow("f30") << Q_INT64_C(1635548498120) << 45 << QStringLiteral("2021-10-29T23:02:23.12+00:00:45");
    QTest::addRow("f31") << Q_INT64_C(1635548498120) << -45 << QStringLiteral("2021-10-29T23:00:53.12-00:00:45");
}

void Tst_timeformat::format()
{
    QFETCH(qint64, epochMs);
    QFETCH(int, offset);
    QFETCH(QString, expected);
    QCOMPARE(formatPulsarTime(epochMs, offset), expected);
}

void Tst_timeformat::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("epochMs");
    QTest::addColumn<QString>("message");

    QTest::addRow("p0") << QStringLiteral(u"2021-10-29T23:01Z") << true << Q_INT64_C(1635548460000) << QString();
    QTest::addRow("p1") << QStringLiteral(u"2021-10-29T16:01:38.967-07:00") << true << Q_INT64_C(1635548498967)
                        << QString();
    QTest::addRow("p2") << QStringLiteral(u"2021-10-29T23:01:38.12Z") << true << Q_INT64_C(1635548498120) << QString();
    QTest::addRow("p3") << QStringLiteral(u"2021-10-29T23:01:38Z") << true << Q_INT64_C(1635548498000) << QString();
    QTest::addRow("p4") << QStringLiteral(u"2021-10-30T04:31:38.1+05:30") << true << Q_INT64_C(1635548498100)
                        << QString();
    QTest::addRow("p5") << QStringLiteral(u"2021-10-29T23:01:38") << false << Q_INT64_C(0)
                        << QStringLiteral(u"Text '2021-10-29T23:01:38' could not be parsed at index 19");
    QTest::addRow("p6") << QStringLiteral(u"2021-10-29 23:01:38.000") << false << Q_INT64_C(0)
                        << QStringLiteral(u"Text '2021-10-29 23:01:38.000' could not be parsed at index 10");
    QTest::addRow("p7") << QStringLiteral(u"2021-10-29T23:01:38.123456789Z") << true << Q_INT64_C(1635548498123)
                        << QString();
    QTest::addRow("p8") << QStringLiteral(u"2021-10-29T23:01:38.1234567891Z") << false << Q_INT64_C(0)
                        << QStringLiteral(u"Text '2021-10-29T23:01:38.1234567891Z' could not be parsed at index 29");
    QTest::addRow("p9") << QStringLiteral(u"2021-10-29T23:01:38.Z") << true << Q_INT64_C(1635548498000) << QString();
    QTest::addRow("p10") << QStringLiteral(u"2021-10-29t23:01:38z") << true << Q_INT64_C(1635548498000) << QString();
    QTest::addRow("p11") << QStringLiteral(u"2021-10-29T23:01:38+05") << true << Q_INT64_C(1635530498000) << QString();
    QTest::addRow("p12")
        << QStringLiteral(u"2021-10-29T23:01:38+0530") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+0530' could not be parsed, unparsed text found at index 22");
    QTest::addRow("p13") << QStringLiteral(u"2021-10-29T23:01:38+05:30:15") << true << Q_INT64_C(1635528683000)
                         << QString();
    QTest::addRow("p14") << QStringLiteral(u"2021-10-29T23:01:38+5:30") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+5:30' could not be parsed at index 19");
    QTest::addRow("p15") << QStringLiteral(u"2021-10-29T23:01:38-00:00") << true << Q_INT64_C(1635548498000)
                         << QString();
    QTest::addRow("p16") << QStringLiteral(u"2021-10-29T23:01:38+18:00") << true << Q_INT64_C(1635483698000)
                         << QString();
    QTest::addRow("p17") << QStringLiteral(u"2021-10-29T23:01:38-18:00") << true << Q_INT64_C(1635613298000)
                         << QString();
    QTest::addRow("p18") << QStringLiteral(u"2021-10-29T23:01:38+18:01") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+18:01' could not be parsed: Zone offset not in "
                                           u"valid range: -18:00 to +18:00");
    QTest::addRow("p19") << QStringLiteral(u"2021-10-29T23:01:38+19:00") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+19:00' could not be parsed: Zone offset not in "
                                           u"valid range: -18:00 to +18:00");
    QTest::addRow("p20") << QStringLiteral(u"2021-13-29T23:01:38Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-13-29T23:01:38Z' could not be parsed: Invalid value for "
                                           u"MonthOfYear (valid values 1 - 12): 13");
    QTest::addRow("p21") << QStringLiteral(u"2021-02-29T23:01:38Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-02-29T23:01:38Z' could not be parsed: Invalid date 'February "
                                           u"29' as '2021' is not a leap year");
    QTest::addRow("p22") << QStringLiteral(u"2020-02-30T00:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2020-02-30T00:00Z' could not be parsed: Invalid date 'FEBRUARY 30'");
    QTest::addRow("p23")
        << QStringLiteral(u"2021-10-29T24:00Z") << false << Q_INT64_C(0)
        << QStringLiteral(
               u"Text '2021-10-29T24:00Z' could not be parsed: Invalid value for HourOfDay (valid values 0 - 23): 24");
    QTest::addRow("p24") << QStringLiteral(u"2021-10-29T23:60Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:60Z' could not be parsed: Invalid value for "
                                           u"MinuteOfHour (valid values 0 - 59): 60");
    QTest::addRow("p25") << QStringLiteral(u"2021-10-29T23:01:60Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:60Z' could not be parsed: Invalid value for "
                                           u"SecondOfMinute (valid values 0 - 59): 60");
    QTest::addRow("p26") << QStringLiteral(u"2021-10-29T24:60:60Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T24:60:60Z' could not be parsed: Invalid value for "
                                           u"MinuteOfHour (valid values 0 - 59): 60");
    QTest::addRow("p27") << QStringLiteral(u"2021-10-29T24:00:60Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T24:00:60Z' could not be parsed: Invalid value for "
                                           u"HourOfDay (valid values 0 - 23): 24");
    QTest::addRow("p28") << QStringLiteral(u"") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '' could not be parsed at index 0");
    QTest::addRow("p29") << QStringLiteral(u"x") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text 'x' could not be parsed at index 0");
    QTest::addRow("p30") << QStringLiteral(u"2021") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021' could not be parsed at index 4");
    QTest::addRow("p31") << QStringLiteral(u"2021-10-29") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29' could not be parsed at index 10");
    QTest::addRow("p32") << QStringLiteral(u"2021-10-29T") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T' could not be parsed at index 11");
    QTest::addRow("p33") << QStringLiteral(u"2021-10-29T23") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23' could not be parsed at index 13");
    QTest::addRow("p34") << QStringLiteral(u"2021-10-29T23:01") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01' could not be parsed at index 16");
    QTest::addRow("p35") << QStringLiteral(u"2021-10-29T23:01:3Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:3Z' could not be parsed at index 16");
    QTest::addRow("p36") << QStringLiteral(u"+12021-10-29T23:01Z") << true << Q_INT64_C(317205068460000) << QString();
    QTest::addRow("p37") << QStringLiteral(u"12021-10-29T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '12021-10-29T23:01Z' could not be parsed at index 0");
    QTest::addRow("p38") << QStringLiteral(u"-2021-10-29T23:01Z") << true << Q_INT64_C(-125917721940000) << QString();
    QTest::addRow("p39") << QStringLiteral(u"0000-01-01T00:00Z") << true << Q_INT64_C(-62167219200000) << QString();
    QTest::addRow("p40") << QStringLiteral(u"+999999999-12-31T23:59:59.999999999Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"long overflow");
    QTest::addRow("p41") << QStringLiteral(u"+1000000000-01-01T00:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '+1000000000-01-01T00:00Z' could not be parsed: Invalid value for "
                                           u"Year (valid values -999999999 - 999999999): 1000000000");
    QTest::addRow("p42") << QStringLiteral(u"2021-10-29T23:01:38Zx") << false << Q_INT64_C(0)
                         << QStringLiteral(
                                u"Text '2021-10-29T23:01:38Zx' could not be parsed, unparsed text found at index 20");
    QTest::addRow("p43") << QStringLiteral(u"2021-1-29T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-1-29T23:01Z' could not be parsed at index 5");
    QTest::addRow("p44")
        << QStringLiteral(u"2021-10-29T23:01:38+05:30:1") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+05:30:1' could not be parsed, unparsed text found at index 25");
    QTest::addRow("p45")
        << QStringLiteral(u"2021-10-29T23:01:38+05:3") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+05:3' could not be parsed, unparsed text found at index 22");
    QTest::addRow("p46") << QStringLiteral(u"2021-10-29T23:01:38+05:") << false << Q_INT64_C(0)
                         << QStringLiteral(
                                u"Text '2021-10-29T23:01:38+05:' could not be parsed, unparsed text found at index 22");
    QTest::addRow("p47") << QStringLiteral(u"2021-10-29T23:01:38+") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+' could not be parsed at index 19");
    QTest::addRow("p48") << QStringLiteral(u"2021-10-29T23:01:38GMT") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38GMT' could not be parsed at index 19");
    QTest::addRow("p49") << QStringLiteral(u"2021-10-29T23:01:38UTC") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38UTC' could not be parsed at index 19");
    QTest::addRow("p50") << QStringLiteral(u"1970-01-01T00:00:00.0009Z") << true << Q_INT64_C(0) << QString();
    QTest::addRow("p51") << QStringLiteral(u"1969-12-31T23:59:59.9999Z") << true << Q_INT64_C(-1) << QString();
    QTest::addRow("p52") << QStringLiteral(u"+292278994-08-17T07:12:55.807Z") << true << Q_INT64_C(9223372036854775807)
                         << QString();
    QTest::addRow("p53") << QStringLiteral(u"+292278994-08-17T07:12:55.808Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"long overflow");
    QTest::addRow("p54") << QStringLiteral(u"-292275055-05-16T16:47:04.192Z") << true
                         << std::numeric_limits<qint64>::min() << QString();
    QTest::addRow("p55") << QStringLiteral(u"-292275055-05-16T16:47:04.191Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"long overflow");
    QTest::addRow("p56") << QStringLiteral(u"2021-10-29T23:01:38.123+05:30[Asia/Kolkata]") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38.123+05:30[Asia/Kolkata]' could not be parsed, "
                                           u"unparsed text found at index 29");
    QTest::addRow("p57") << QStringLiteral(u"2021-10-29T23:01:38+05:30:00") << true << Q_INT64_C(1635528698000)
                         << QString();
    QTest::addRow("p58")
        << QStringLiteral(u"2021-10-29T23:01:38+053015") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+053015' could not be parsed, unparsed text found at index 22");
    QTest::addRow("p59")
        << QStringLiteral(u"2021-10-29T23:01:38+05:3015") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+05:3015' could not be parsed, unparsed text found at index 25");
    QTest::addRow("p60") << QStringLiteral(u"\uff12\uff10\uff12\uff11-10-29T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(
                                u"Text '\uff12\uff10\uff12\uff11-10-29T23:01Z' could not be parsed at index 0");
    QTest::addRow("p61") << QStringLiteral(u"2021-10-29T23:01:38 Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38 Z' could not be parsed at index 19");
    QTest::addRow("p62") << QStringLiteral(u" 2021-10-29T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text ' 2021-10-29T23:01Z' could not be parsed at index 0");
    QTest::addRow("p63") << QStringLiteral(u"+2021-10-29T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '+2021-10-29T23:01Z' could not be parsed at index 0");
    QTest::addRow("p64") << QStringLiteral(u"-0000-01-01T00:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '-0000-01-01T00:00Z' could not be parsed at index 0");
    QTest::addRow("p65") << QStringLiteral(u"+0000-01-01T00:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '+0000-01-01T00:00Z' could not be parsed at index 0");
    QTest::addRow("p66") << QStringLiteral(u"-00001-01-01T00:00Z") << true << Q_INT64_C(-62198755200000) << QString();
    QTest::addRow("p67") << QStringLiteral(u"-12021-10-29T23:01Z") << true << Q_INT64_C(-441487241940000) << QString();
    QTest::addRow("p68") << QStringLiteral(u"+12345678901-01-01T00:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '+12345678901-01-01T00:00Z' could not be parsed at index 11");
    QTest::addRow("p69")
        << QStringLiteral(u"2021-00-29T23:01Z") << false << Q_INT64_C(0)
        << QStringLiteral(
               u"Text '2021-00-29T23:01Z' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 0");
    QTest::addRow("p70") << QStringLiteral(u"2021-10-00T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-00T23:01Z' could not be parsed: Invalid value for "
                                           u"DayOfMonth (valid values 1 - 28/31): 0");
    QTest::addRow("p71") << QStringLiteral(u"2021-10-32T23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-32T23:01Z' could not be parsed: Invalid value for "
                                           u"DayOfMonth (valid values 1 - 28/31): 32");
    QTest::addRow("p72") << QStringLiteral(u"2021-13-32T25:61Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-13-32T25:61Z' could not be parsed: Invalid value for "
                                           u"MonthOfYear (valid values 1 - 12): 13");
    QTest::addRow("p73") << QStringLiteral(u"2021-02-30T25:00Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-02-30T25:00Z' could not be parsed: Invalid date 'FEBRUARY 30'");
    QTest::addRow("p74") << QStringLiteral(u"2021-02-30T23:00+19:00") << false << Q_INT64_C(0)
                         << QStringLiteral(
                                u"Text '2021-02-30T23:00+19:00' could not be parsed: Invalid date 'FEBRUARY 30'");
    QTest::addRow("p75") << QStringLiteral(u"2021-13-01T23:00+19:00") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-13-01T23:00+19:00' could not be parsed: Invalid value for "
                                           u"MonthOfYear (valid values 1 - 12): 13");
    QTest::addRow("p76") << QStringLiteral(u"2021-10-29T23:01:38+24:00") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+24:00' could not be parsed: Value out of range: "
                                           u"Hour[0-23], Minute[0-59], Second[0-59]");
    QTest::addRow("p77") << QStringLiteral(u"2021-13-29T23:01:38+24:00") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-13-29T23:01:38+24:00' could not be parsed: Value out of range: "
                                           u"Hour[0-23], Minute[0-59], Second[0-59]");
    QTest::addRow("p78")
        << QStringLiteral(u"2021-10-29T23:01:38+23:60") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+23:60' could not be parsed, unparsed text found at index 22");
    QTest::addRow("p79")
        << QStringLiteral(u"2021-10-29T23:01:38+23:59:60") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+23:59:60' could not be parsed, unparsed text found at index 25");
    QTest::addRow("p80") << QStringLiteral(u"2021-10-29T23:01:38+99:99") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38+99:99' could not be parsed at index 19");
    QTest::addRow("p81") << QStringLiteral(u"2021-10-29T23:01+05:30") << true << Q_INT64_C(1635528660000) << QString();
    QTest::addRow("p82") << QStringLiteral(u"2021-10-29T23:01:38.+05:30") << true << Q_INT64_C(1635528698000)
                         << QString();
    QTest::addRow("p83") << QStringLiteral(u"2021-10-29T23:01:38,5Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38,5Z' could not be parsed at index 19");
    QTest::addRow("p84") << QStringLiteral(u"2021-10-29T23:01:38.5") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38.5' could not be parsed at index 21");
    QTest::addRow("p85") << QStringLiteral(u"2021-10-29T23:01:38.5X") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38.5X' could not be parsed at index 21");
    QTest::addRow("p86") << QStringLiteral(u"2021-10-29X23:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29X23:01Z' could not be parsed at index 10");
    QTest::addRow("p87") << QStringLiteral(u"2021-10-29T23-01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23-01Z' could not be parsed at index 13");
    QTest::addRow("p88") << QStringLiteral(u"2021-10-29T23:01:38.000000001Z") << true << Q_INT64_C(1635548498000)
                         << QString();
    QTest::addRow("p89") << QStringLiteral(u"1969-12-31T23:59:59.999999999Z") << true << Q_INT64_C(-1) << QString();
    QTest::addRow("p90") << QStringLiteral(u"2021-10-29T23:01Z ") << false << Q_INT64_C(0)
                         << QStringLiteral(
                                u"Text '2021-10-29T23:01Z ' could not be parsed, unparsed text found at index 17");
    QTest::addRow("p91") << QStringLiteral(u"2021-10-29T23:01:38.123456789-18:00") << true << Q_INT64_C(1635613298123)
                         << QString();
    QTest::addRow("p92") << QStringLiteral(u"2021-10-29T23:01:38.1234567890") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38.1234567890' could not be parsed at index 29");
    QTest::addRow("p93") << QStringLiteral(u"2021-10-29T1:01Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T1:01Z' could not be parsed at index 11");
    QTest::addRow("p94") << QStringLiteral(u"2021-10-29T23:1Z") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:1Z' could not be parsed at index 14");
    QTest::addRow("p95")
        << QStringLiteral(u"2021-10-29T23:01:38+05:30:15:00") << false << Q_INT64_C(0)
        << QStringLiteral(
               u"Text '2021-10-29T23:01:38+05:30:15:00' could not be parsed, unparsed text found at index 28");
    QTest::addRow("p96")
        << QStringLiteral(u"2021-10-29T23:01:38+05:300") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+05:300' could not be parsed, unparsed text found at index 25");
    QTest::addRow("p97") << QStringLiteral(u"2021-10-29T23:01:38-5") << false << Q_INT64_C(0)
                         << QStringLiteral(u"Text '2021-10-29T23:01:38-5' could not be parsed at index 19");
    QTest::addRow("p98")
        << QStringLiteral(u"2021-10-29T23:01:38z+05:00") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38z+05:00' could not be parsed, unparsed text found at index 20");
    QTest::addRow("p99") << QStringLiteral(u"2021-10-29T23:01:38+00") << true << Q_INT64_C(1635548498000) << QString();
    QTest::addRow("p100") << QStringLiteral(u"2021-10-29T23:01:38+0") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38+0' could not be parsed at index 19");
    QTest::addRow("p101")
        << QStringLiteral(u"2021-10-29T23:01:38Z+05:00") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38Z+05:00' could not be parsed, unparsed text found at index 20");
    QTest::addRow("p102") << QStringLiteral(u"20211-10-29T23:01Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '20211-10-29T23:01Z' could not be parsed at index 0");
    QTest::addRow("p103")
        << QStringLiteral(u"2021-10-29T23:01:38+05:30:") << false << Q_INT64_C(0)
        << QStringLiteral(u"Text '2021-10-29T23:01:38+05:30:' could not be parsed, unparsed text found at index 25");
    QTest::addRow("p104") << QStringLiteral(u"2021-10-29T23:01:38+1") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38+1' could not be parsed at index 19");
    QTest::addRow("p105") << QStringLiteral(u"+-2021-10-29T23:01Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '+-2021-10-29T23:01Z' could not be parsed at index 1");
    QTest::addRow("p106") << QStringLiteral(u"-2021") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '-2021' could not be parsed at index 5");
    QTest::addRow("p107") << QStringLiteral(u"+100000-01-01T00:00Z") << true << Q_INT64_C(3093527980800000)
                          << QString();
    QTest::addRow("p108") << QStringLiteral(u"-1000000000-01-01T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '-1000000000-01-01T00:00Z' could not be parsed: Invalid value for "
                                            u"Year (valid values -999999999 - 999999999): -1000000000");
    QTest::addRow("p109") << QStringLiteral(u"+0999999999-01-01T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"long overflow");
    QTest::addRow("p110") << QStringLiteral(u"2021-1029T23:01Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-1029T23:01Z' could not be parsed at index 7");
    QTest::addRow("p111") << QStringLiteral(u"2021-10-2") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-2' could not be parsed at index 8");
    QTest::addRow("p112") << QStringLiteral(u"2021-10-29T23:01:38.12345678912Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38.12345678912Z' could not be parsed at index 29");
    QTest::addRow("p113") << QStringLiteral(u"2021-02-29T23:01:38+19:00") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-02-29T23:01:38+19:00' could not be parsed: Invalid date "
                                            u"'February 29' as '2021' is not a leap year");
    QTest::addRow("p114") << QStringLiteral(u"2021-04-31T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-04-31T00:00Z' could not be parsed: Invalid date 'APRIL 31'");
    QTest::addRow("p115") << QStringLiteral(u"2021-06-31T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-06-31T00:00Z' could not be parsed: Invalid date 'JUNE 31'");
    QTest::addRow("p116") << QStringLiteral(u"2021-09-31T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(
                                 u"Text '2021-09-31T00:00Z' could not be parsed: Invalid date 'SEPTEMBER 31'");
    QTest::addRow("p117") << QStringLiteral(u"2021-11-31T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(
                                 u"Text '2021-11-31T00:00Z' could not be parsed: Invalid date 'NOVEMBER 31'");
    QTest::addRow("p118") << QStringLiteral(u"2021-01-31T00:00Z") << true << Q_INT64_C(1612051200000) << QString();
    QTest::addRow("p119") << QStringLiteral(u"1900-02-29T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '1900-02-29T00:00Z' could not be parsed: Invalid date 'February 29' "
                                            u"as '1900' is not a leap year");
    QTest::addRow("p120") << QStringLiteral(u"2000-02-29T00:00Z") << true << Q_INT64_C(951782400000) << QString();
    QTest::addRow("p121") << QStringLiteral(u"2024-02-29T12:00:00.5-03:30") << true << Q_INT64_C(1709220600500)
                          << QString();
    QTest::addRow("p122") << QStringLiteral(u"2021-10-29T23:01:38.1z") << true << Q_INT64_C(1635548498100) << QString();
    QTest::addRow("p123") << QStringLiteral(u"2021-10-29T23:01:38.967-07:00 and a very long tail that pushes the text "
                                            u"well past sixty-four characters")
                          << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38.967-07:00 and a very long tail that pushes "
                                            u"t...' could not be parsed, unparsed text found at index 29");
    QTest::addRow("p124") << QStringLiteral(u"9999-12-31T23:59:59.999Z") << true << Q_INT64_C(253402300799999)
                          << QString();
    QTest::addRow("p125") << QStringLiteral(u"-9999-01-01T00:00Z") << true << Q_INT64_C(-377705116800000) << QString();
    QTest::addRow("p126") << QStringLiteral(u"-0001-12-31T23:59:59.999Z") << true << Q_INT64_C(-62167219200001)
                          << QString();
    QTest::addRow("p127") << QStringLiteral(u"1970-01-01T00:00Z") << true << Q_INT64_C(0) << QString();
    QTest::addRow("p128") << QStringLiteral(u"1970-01-01T05:30+05:30") << true << Q_INT64_C(0) << QString();
    QTest::addRow("p129") << QStringLiteral(u"2021-10-29T23:01:38.967-07:00:01") << true << Q_INT64_C(1635573699967)
                          << QString();
    QTest::addRow("p130") << QStringLiteral(u"2021-10-29T23:01:38-07:00:59") << true << Q_INT64_C(1635573757000)
                          << QString();
    QTest::addRow("p131") << QStringLiteral(u"-202-01-01T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '-202-01-01T00:00Z' could not be parsed at index 1");
    QTest::addRow("p132") << QStringLiteral(u"202-01-01T00:00Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '202-01-01T00:00Z' could not be parsed at index 0");
    QTest::addRow("p133") << QStringLiteral(u"2021-10-29T23:01:38+60:00") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38+60:00' could not be parsed at index 19");
    QTest::addRow("p134")
        << QStringLiteral(u"2021-10-29T23:01:38.1+05:30:5x") << false << Q_INT64_C(0)
        << QStringLiteral(
               u"Text '2021-10-29T23:01:38.1+05:30:5x' could not be parsed, unparsed text found at index 27");
    QTest::addRow("p135")
        << QStringLiteral(u"2021-10-29T23:01:38.1+05:30:60") << false << Q_INT64_C(0)
        << QStringLiteral(
               u"Text '2021-10-29T23:01:38.1+05:30:60' could not be parsed, unparsed text found at index 27");
    QTest::addRow("p136") << QStringLiteral(u"2021-10-29T23:01:38.\U0001f600Z") << false << Q_INT64_C(0)
                          << QStringLiteral(u"Text '2021-10-29T23:01:38.\U0001f600Z' could not be parsed at index 20");
}

void Tst_timeformat::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, epochMs);
    QFETCH(QString, message);

    const Result<qint64> r = parsePulsarTime(text);
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(r.value(), epochMs);
    } else {
        QCOMPARE(r.error().code, ErrorCode::InvalidTime);
        QCOMPARE(r.error().message, message);
    }
}

void Tst_timeformat::roundTrip_data()
{
    QTest::addColumn<qint64>("epochMs");
    QTest::addColumn<int>("offset");
    const qint64 values[] = {0,
                             1,
                             -1,
                             999,
                             1000,
                             1635548498967,
                             -62167219200000,
                             253402300799999,
                             std::numeric_limits<qint64>::max(),
                             std::numeric_limits<qint64>::min()};
    const int offsets[] = {0, 3600, -3600, 19800, -25200, 64800, -64800, 45, 3723};
    for (const qint64 v : values) {
        for (const int o : offsets) {
            // The extremes only survive offsets that keep the local time inside Java's year range.
            if ((v == std::numeric_limits<qint64>::max() && o > 0) ||
                (v == std::numeric_limits<qint64>::min() && o < 0))
                continue;
            QTest::addRow("%lld@%d", qlonglong(v), o) << v << o;
        }
    }
}

void Tst_timeformat::roundTrip()
{
    QFETCH(qint64, epochMs);
    QFETCH(int, offset);
    const QString text = formatPulsarTime(epochMs, offset);
    const Result<qint64> back = parsePulsarTime(text);
    QVERIFY2(back.ok(), qPrintable(text + QLatin1Char(' ') + (back.ok() ? QString() : back.error().message)));
    QCOMPARE(back.value(), epochMs);
}

void Tst_timeformat::formatLocal()
{
    // India has had a fixed +05:30 since 1945, so the expected text does not depend on the tz database version.
    const QByteArray saved = qgetenv("TZ");
    qputenv("TZ", "Asia/Kolkata");
    tzset();
    QCOMPARE(formatPulsarTimeLocal(1635548498100), QStringLiteral("2021-10-30T04:31:38.1+05:30"));
    qputenv("TZ", "UTC");
    tzset();
    QCOMPARE(formatPulsarTimeLocal(1635548498120), QStringLiteral("2021-10-29T23:01:38.12Z"));
    if (saved.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", saved);
    tzset();
}

QTEST_GUILESS_MAIN(Tst_timeformat)
#include "tst_timeformat.moc"
