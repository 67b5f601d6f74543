#include "timeformat.h"

#include <ctime>
#include <limits>

namespace Pulsar {

namespace {

constexpr qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

constexpr qint64 floorMod(qint64 a, qint64 b)
{
    // Not a - floorDiv(a, b) * b: that overflows for a near the qint64 limits.
    const qint64 r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days, valid far beyond qint64 ms).
void civilFromDays(qint64 z, qint64 &y, int &m, int &d)
{
    z += 719468;
    const qint64 era = floorDiv(z, 146097);
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    if (m <= 2)
        ++y;
}

qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = floorDiv(y, 400);
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void append2(QString &out, int v)
{
    out += QChar(u'0' + v / 10);
    out += QChar(u'0' + v % 10);
}

} // namespace

QString formatPulsarTime(qint64 epochMs, int utcOffsetSeconds)
{
    // Split before adding the offset so that no value near the qint64 limits can overflow.
    const qint64 localSeconds = floorDiv(epochMs, 1000) + utcOffsetSeconds;
    const int millis = int(floorMod(epochMs, 1000));
    const qint64 days = floorDiv(localSeconds, 86400);
    const int secondOfDay = int(floorMod(localSeconds, 86400));
    qint64 year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, year, month, day);

    QString out;
    out.reserve(32);
    if (year > 9999) {
        out += QLatin1Char('+') + QString::number(year);
    } else if (year < 0) {
        const QString digits = QString::number(-year);
        out += QLatin1Char('-') + QString(qMax<qsizetype>(0, 4 - digits.size()), QLatin1Char('0')) + digits;
    } else {
        const QString digits = QString::number(year);
        out += QString(4 - digits.size(), QLatin1Char('0')) + digits;
    }
    out += QLatin1Char('-');
    append2(out, month);
    out += QLatin1Char('-');
    append2(out, day);
    out += QLatin1Char('T');
    append2(out, secondOfDay / 3600);
    out += QLatin1Char(':');
    append2(out, secondOfDay / 60 % 60);
    out += QLatin1Char(':');
    append2(out, secondOfDay % 60);
    if (millis != 0) {
        int digits = millis;
        int width = 3;
        while (digits % 10 == 0) {
            digits /= 10;
            --width;
        }
        out += QLatin1Char('.');
        const QString s = QString::number(digits);
        out += QString(width - s.size(), QLatin1Char('0')) + s;
    }
    if (utcOffsetSeconds == 0) {
        out += QLatin1Char('Z');
    } else {
        const int abs = utcOffsetSeconds < 0 ? -utcOffsetSeconds : utcOffsetSeconds;
        out += QLatin1Char(utcOffsetSeconds < 0 ? '-' : '+');
        append2(out, abs / 3600);
        out += QLatin1Char(':');
        append2(out, abs / 60 % 60);
        if (abs % 60 != 0) {
            out += QLatin1Char(':');
            append2(out, abs % 60);
        }
    }
    return out;
}

QString formatPulsarTimeLocal(qint64 epochMs)
{
    // localtime_r, not QDateTime: Qt calls tzset() before every conversion, and glibc's tzset() stats
    // /etc/localtime each time. The service formats a publish time for every message it delivers, and those
    // stats were 44% of its CPU time while it delivered. localtime_r reads the zone once and again only after
    // an explicit tzset().
    const time_t seconds = time_t(floorDiv(epochMs, 1000));
    struct tm local = {};
    const int offset = localtime_r(&seconds, &local) ? int(local.tm_gmtoff) : 0;
    return formatPulsarTime(epochMs, offset);
}

namespace {

// A small transcription of the behaviour of the ISO_OFFSET_DATE_TIME composite parser: each step either
// advances or records the index Java would report.
class TimeParser
{
public:
    explicit TimeParser(QStringView text)
        : m_text(text)
    {}

    Result<qint64> run();

private:
    bool digit(qsizetype i, int &d) const
    {
        if (i >= m_text.size())
            return false;
        const char16_t c = m_text[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        d = c - u'0';
        return true;
    }
    bool literal(qsizetype &pos, char16_t c) const
    {
        if (pos >= m_text.size())
            return false;
        const QChar t = m_text[pos];
        // The formatter is case-insensitive ('t' and 'z' pass).
        if (t.unicode() != c && t.toUpper().unicode() != QChar(c).toUpper().unicode() &&
            t.toLower().unicode() != QChar(c).toLower().unicode())
            return false;
        ++pos;
        return true;
    }
    bool twoDigits(qsizetype &pos, int &value) const
    {
        int a = 0;
        int b = 0;
        if (!digit(pos, a) || !digit(pos + 1, b))
            return false;
        value = a * 10 + b;
        pos += 2;
        return true;
    }
    // -1 when the year parses, else the error index.
    qsizetype year(qsizetype &pos, qint64 &value) const;
    Error atIndex(qsizetype index) const
    {
        return makeError(ErrorCode::InvalidTime, QStringLiteral("Text '") + abbreviated() +
                                                     QStringLiteral("' could not be parsed at index ") +
                                                     QString::number(index));
    }
    Error unparsed(qsizetype index) const
    {
        return makeError(ErrorCode::InvalidTime,
                         QStringLiteral("Text '") + abbreviated() +
                             QStringLiteral("' could not be parsed, unparsed text found at index ") +
                             QString::number(index));
    }
    Error resolve(const QString &why) const
    {
        return makeError(ErrorCode::InvalidTime,
                         QStringLiteral("Text '") + abbreviated() + QStringLiteral("' could not be parsed: ") + why);
    }
    QString abbreviated() const
    {
        // DateTimeParseException shortens the quoted text to 64 UTF-16 units plus "...".
        if (m_text.size() > 64)
            return m_text.left(64).toString() + QStringLiteral("...");
        return m_text.toString();
    }

    QStringView m_text;
};

qsizetype TimeParser::year(qsizetype &pos, qint64 &value) const
{
    // appendValue(YEAR, 4, 10, SignStyle.EXCEEDS_PAD) parsed strictly.
    const qsizetype start = pos;
    bool negative = false;
    bool positive = false;
    if (pos < m_text.size() && m_text[pos] == QLatin1Char('+')) {
        positive = true;
        ++pos;
    } else if (pos < m_text.size() && m_text[pos] == QLatin1Char('-')) {
        negative = true;
        ++pos;
    }
    const qsizetype digitsStart = pos;
    if (digitsStart + 4 > m_text.size())
        return digitsStart;
    qint64 total = 0;
    int d = 0;
    while (pos - digitsStart < 10 && digit(pos, d)) {
        total = total * 10 + d;
        ++pos;
    }
    const qsizetype n = pos - digitsStart;
    if (n < 4)
        return digitsStart;
    if (negative) {
        if (total == 0)
            return start; // minus zero is not allowed
        total = -total;
    } else if (positive) {
        if (n <= 4)
            return start; // '+' only when more than four digits
    } else if (n > 4) {
        return digitsStart; // more than four digits need a sign
    }
    value = total;
    return -1;
}

Result<qint64> TimeParser::run()
{
    qsizetype pos = 0;
    qint64 y = 0;
    if (const qsizetype e = year(pos, y); e >= 0)
        return atIndex(e);
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    qint64 nanos = 0;
    if (!literal(pos, u'-'))
        return atIndex(pos);
    if (!twoDigits(pos, month))
        return atIndex(pos);
    if (!literal(pos, u'-'))
        return atIndex(pos);
    if (!twoDigits(pos, day))
        return atIndex(pos);
    if (!literal(pos, u'T'))
        return atIndex(pos);
    if (!twoDigits(pos, hour))
        return atIndex(pos);
    if (!literal(pos, u':'))
        return atIndex(pos);
    if (!twoDigits(pos, minute))
        return atIndex(pos);
    // Optional ":ss" with an optional nested fraction; a failed optional section leaves the position unchanged.
    {
        qsizetype p = pos;
        int s = 0;
        if (literal(p, u':') && twoDigits(p, s)) {
            second = s;
            pos = p;
            if (pos < m_text.size() && m_text[pos] == QLatin1Char('.')) {
                ++pos;
                int count = 0;
                int d = 0;
                while (count < 9 && digit(pos, d)) {
                    nanos = nanos * 10 + d;
                    ++pos;
                    ++count;
                }
                for (int i = count; i < 9; ++i)
                    nanos *= 10;
            }
        }
    }
    // appendOffsetId() parsed leniently: "Z" (any case), or +HH[:MM[:SS]] with each part 00-59.
    int offsetSeconds = 0;
    if (pos >= m_text.size())
        return atIndex(pos);
    {
        qsizetype p = pos;
        if (literal(p, u'Z')) {
            pos = p;
        } else {
            const QChar sign = m_text[pos];
            if (sign != QLatin1Char('+') && sign != QLatin1Char('-'))
                return atIndex(pos);
            p = pos + 1;
            int parts[3] = {0, 0, 0};
            auto part = [&](qsizetype &at, int &out, bool colon) {
                qsizetype q = at;
                if (colon && !literal(q, u':'))
                    return false;
                int v = 0;
                if (!twoDigits(q, v) || v > 59)
                    return false;
                out = v;
                at = q;
                return true;
            };
            if (!part(p, parts[0], false))
                return atIndex(pos);
            if (part(p, parts[1], true))
                part(p, parts[2], true);
            if (parts[0] > 23)
                return resolve(QStringLiteral("Value out of range: Hour[0-23], Minute[0-59], Second[0-59]"));
            offsetSeconds = (parts[0] * 3600 + parts[1] * 60 + parts[2]) * (sign == QLatin1Char('-') ? -1 : 1);
            pos = p;
        }
    }
    if (pos < m_text.size())
        return unparsed(pos);

    // Resolution, in Java's order: year, month, day, the date itself, then minute, hour, second, the offset.
    if (y < -999999999 || y > 999999999)
        return resolve(QStringLiteral("Invalid value for Year (valid values -999999999 - 999999999): ") +
                       QString::number(y));
    if (month < 1 || month > 12)
        return resolve(QStringLiteral("Invalid value for MonthOfYear (valid values 1 - 12): ") +
                       QString::number(month));
    if (day < 1 || day > 31)
        return resolve(QStringLiteral("Invalid value for DayOfMonth (valid values 1 - 28/31): ") +
                       QString::number(day));
    if (day > 28) {
        int maxDay = 31;
        if (month == 2)
            maxDay = isLeap(y) ? 29 : 28;
        else if (month == 4 || month == 6 || month == 9 || month == 11)
            maxDay = 30;
        if (day > maxDay) {
            if (day == 29)
                return resolve(QStringLiteral("Invalid date 'February 29' as '") + QString::number(y) +
                               QStringLiteral("' is not a leap year"));
            static const char *const names[] = {"JANUARY", "FEBRUARY", "MARCH",     "APRIL",   "MAY",      "JUNE",
                                                "JULY",    "AUGUST",   "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};
            return resolve(QStringLiteral("Invalid date '") + QLatin1String(names[month - 1]) + QLatin1Char(' ') +
                           QString::number(day) + QLatin1Char('\''));
        }
    }
    if (minute > 59)
        return resolve(QStringLiteral("Invalid value for MinuteOfHour (valid values 0 - 59): ") +
                       QString::number(minute));
    if (hour > 23)
        return resolve(QStringLiteral("Invalid value for HourOfDay (valid values 0 - 23): ") + QString::number(hour));
    if (second > 59)
        return resolve(QStringLiteral("Invalid value for SecondOfMinute (valid values 0 - 59): ") +
                       QString::number(second));
    if (offsetSeconds < -18 * 3600 || offsetSeconds > 18 * 3600)
        return resolve(QStringLiteral("Zone offset not in valid range: -18:00 to +18:00"));

    // Exact: |seconds| stays below 4e16 for |year| <= 999999999, so only the final millisecond value can overflow.
    const qint64 epochSeconds =
        daysFromCivil(y, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    // Instant.toEpochMilli's arithmetic: for a negative second with a fraction it multiplies (seconds + 1), so
    // the very first millisecond of the range does not overflow.
    qint64 ms = 0;
    bool overflow = false;
    if (epochSeconds < 0 && nanos > 0) {
        overflow = __builtin_mul_overflow(epochSeconds + 1, qint64(1000), &ms) ||
                   __builtin_add_overflow(ms, qint64(nanos / 1000000 - 1000), &ms);
    } else {
        overflow = __builtin_mul_overflow(epochSeconds, qint64(1000), &ms) ||
                   __builtin_add_overflow(ms, qint64(nanos / 1000000), &ms);
    }
    if (overflow)
        return makeError(ErrorCode::InvalidTime, QString::fromUtf16(kLongOverflowMessage));
    return ms;
}

} // namespace

Result<qint64> parsePulsarTime(QStringView text)
{
    return TimeParser(text).run();
}

} // namespace Pulsar
