#pragma once

#include "error.h"

#include <QString>
#include <QStringView>

// Pulsar's WebSocket timestamps (publishTime, eventTime): Java's DateTimeFormatter.ISO_OFFSET_DATE_TIME, which
// Pulsar's DateFormatter uses in both directions (spec 3.0).
namespace Pulsar {

// Formats like Java's ISO_OFFSET_DATE_TIME: seconds always printed, the millisecond fraction with trailing zeros
// trimmed and omitted at 0 ms, 'Z' for a zero offset, "+05:30" otherwise ("+01:02:03" when the offset has
// seconds), years outside 0000-9999 with a sign. Defined for every qint64.
// Example: formatPulsarTime(1635548498120, 0) == "2021-10-29T23:01:38.12Z".
QString formatPulsarTime(qint64 epochMs, int utcOffsetSeconds);
// The same in the system time zone at that instant, as a Pulsar server in that zone writes it.
QString formatPulsarTimeLocal(qint64 epochMs);

// Parses exactly what Pulsar's DateFormatter.parse accepts (ISO_OFFSET_DATE_TIME: case-insensitive 'T' and 'Z',
// optional seconds, 0-9 fraction digits, a required offset parsed leniently: Z, +HH, +HH:MM, +HH:MM:SS),
// truncating to milliseconds (floor) like Instant.toEpochMilli. Errors carry ErrorCode::InvalidTime and the
// message of Java's exception, e.g. "Text '2021-10-29T23:01:38' could not be parsed at index 19"; an instant
// beyond qint64 milliseconds gives "long overflow" (Java's ArithmeticException).
Result<qint64> parsePulsarTime(QStringView text);

// The message of the ArithmeticException Instant.toEpochMilli throws: it is not a DateTimeParseException, so a
// Pulsar server treats it differently (see decodeProducerSend).
inline constexpr char16_t kLongOverflowMessage[] = u"long overflow";

} // namespace Pulsar
