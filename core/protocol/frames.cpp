#include "frames.h"

#include "jsonwriter.h"
#include "timeformat.h"

#include <QHash>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace Pulsar {

namespace {

// ---------------------------------------------------------------------------------------------------------------
// A strict pull reader over UTF-8 that accepts what Jackson's default parser accepts and fails where it fails.
// Messages follow Jackson 2.17 (the version in current Pulsar) closely but not byte for byte: they only travel in
// a send-error:3 ack, which clients show and never parse.

constexpr int kMaxDepth = 1000; // StreamReadConstraints' default nesting limit

const QString &locationPrefix()
{
    static const QString prefix =
        QStringLiteral("\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: ");
    return prefix;
}

enum class Token
{
    End,
    ObjectStart,
    ArrayStart,
    String,
    Number,
    True,
    False,
    Null,
    Invalid,
};

const char *tokenName(Token t)
{
    switch (t) {
    case Token::ObjectStart:
        return "Object value (token `JsonToken.START_OBJECT`)";
    case Token::ArrayStart:
        return "Array value (token `JsonToken.START_ARRAY`)";
    case Token::String:
        return "String value (token `JsonToken.VALUE_STRING`)";
    case Token::Number:
        return "Number value (token `JsonToken.VALUE_NUMBER_INT`)";
    case Token::True:
        return "Boolean value (token `JsonToken.VALUE_TRUE`)";
    case Token::False:
        return "Boolean value (token `JsonToken.VALUE_FALSE`)";
    case Token::Null:
        return "Null value (token `JsonToken.VALUE_NULL`)";
    default:
        return "token";
    }
}

bool isIdentifierPart(uchar c)
{
    // Character.isJavaIdentifierPart for the characters that can follow a literal; non-ASCII approximated as yes.
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           c == 0x7f || c >= 0x80;
}

class JsonIn
{
public:
    explicit JsonIn(QByteArrayView utf8)
        : m_begin(reinterpret_cast<const uchar *>(utf8.data()))
        , m_p(m_begin)
        , m_end(m_begin + utf8.size())
    {}

    bool failed() const { return m_failed; }
    const QString &error() const { return m_error; }

    bool fail(const QString &message, const uchar *at)
    {
        if (!m_failed) {
            m_failed = true;
            m_error = message + location(at);
        }
        return false;
    }
    // A databind error names the field it was reading.
    bool failField(const QString &message, const char *type, const char *field)
    {
        if (!m_failed) {
            m_failed = true;
            // Databind errors point at the start of the offending token (JsonParser.getTokenLocation()).
            m_error = message + location(m_tokenStart) + QStringLiteral(" (through reference chain: ") +
                      QLatin1String(type) + QStringLiteral("[\"") + QLatin1String(field) + QStringLiteral("\"])");
        }
        return false;
    }

    void skipWs()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    Token peek()
    {
        skipWs();
        m_tokenStart = m_p;
        if (m_p >= m_end)
            return Token::End;
        switch (*m_p) {
        case '{':
            return Token::ObjectStart;
        case '[':
            return Token::ArrayStart;
        case '"':
            return Token::String;
        case 't':
            return Token::True;
        case 'f':
            return Token::False;
        case 'n':
            return Token::Null;
        default:
            if (*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))
                return Token::Number;
            return Token::Invalid;
        }
    }

    // Consumes true/false/null (peek() said which).
    bool literal(Token t)
    {
        const char *word = t == Token::True ? "true" : t == Token::False ? "false" : "null";
        const qsizetype n = qsizetype(std::strlen(word));
        const uchar *start = m_p;
        qsizetype i = 0;
        while (i < n && m_p + i < m_end && m_p[i] == uchar(word[i]))
            ++i;
        if (i < n || (m_p + n < m_end && isIdentifierPart(m_p[n])))
            return unrecognizedToken(start);
        m_p += n;
        return true;
    }

    bool unrecognizedToken(const uchar *start)
    {
        const uchar *e = start;
        while (e < m_end && isIdentifierPart(*e) && e - start < 256)
            ++e;
        if (e == start)
            ++e;
        return fail(QStringLiteral("Unrecognized token '") +
                        QString::fromUtf8(reinterpret_cast<const char *>(start), e - start) +
                        QStringLiteral(
                            "': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                    e);
    }

    bool unexpectedChar(const char *expecting)
    {
        if (m_p >= m_end)
            return fail(QStringLiteral("Unexpected end-of-input: ") + QLatin1String(expecting), m_p);
        const uchar c = *m_p;
        QString shown;
        if (c < 0x20)
            shown = QStringLiteral("(CTRL-CHAR, code ") + QString::number(c) + QLatin1Char(')');
        else
            shown = QLatin1Char('\'') +
                    QString::fromUtf8(reinterpret_cast<const char *>(m_p), c < 0x80 ? 1 : utf8Len(c)) +
                    QStringLiteral("' (code ") + QString::number(c) + QLatin1Char(')');
        return fail(QStringLiteral("Unexpected character (") + shown + QStringLiteral("): ") + QLatin1String(expecting),
                    m_p + 1);
    }

    // Reads a string token. When it has no escapes, `raw` views the bytes between the quotes and `decoded` is
    // left alone; otherwise `decoded` holds the text and `raw` is null.
    bool string(QByteArrayView &raw, QString &decoded, bool &escaped)
    {
        const uchar *start = ++m_p; // past the opening quote
        escaped = false;
        // Many bytes at a time while none of them is a quote, a backslash or a control character (payloads are
        // long base64 strings); the byte loop below finds which one stopped it.
#if defined(__SSE2__)
        const __m128i quoteV = _mm_set1_epi8('"');
        const __m128i backslashV = _mm_set1_epi8('\\');
        const __m128i controlMax = _mm_set1_epi8(0x1F);
        while (m_end - m_p >= 16) {
            const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_p));
            // Unsigned w <= 0x1F exactly when max(w, 0x1F) == 0x1F.
            const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, quoteV), _mm_cmpeq_epi8(w, backslashV)),
                                                 _mm_cmpeq_epi8(_mm_max_epu8(w, controlMax), controlMax));
            if (_mm_movemask_epi8(special))
                break;
            m_p += 16;
        }
#endif
        constexpr quint64 kOnes = 0x0101010101010101ULL;
        constexpr quint64 kHighs = 0x8080808080808080ULL;
        while (m_end - m_p >= 8) {
            quint64 w;
            std::memcpy(&w, m_p, 8);
            const quint64 quote = w ^ (kOnes * '"');
            const quint64 backslash = w ^ (kOnes * '\\');
            const quint64 special =
                ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | ((w - kOnes * 0x20) & ~w);
            if (special & kHighs)
                break;
            m_p += 8;
        }
        while (m_p < m_end) {
            const uchar c = *m_p;
            if (c == '"') {
                raw = QByteArrayView(reinterpret_cast<const char *>(start), m_p - start);
                ++m_p;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                break;
            }
            if (c < 0x20)
                return controlChar(c);
            ++m_p;
        }
        if (!escaped)
            return fail(QStringLiteral("Unexpected end-of-input: was expecting closing quote for a string value"), m_p);
        // Slow path: decode escapes into UTF-16.
        QByteArray utf8(reinterpret_cast<const char *>(start), m_p - start);
        QString out;
        while (m_p < m_end) {
            const uchar c = *m_p;
            if (c == '"') {
                ++m_p;
                out.prepend(QString::fromUtf8(utf8));
                decoded = std::move(out);
                raw = QByteArrayView();
                return true;
            }
            if (c < 0x20)
                return controlChar(c);
            if (c != '\\') {
                // Collect a run of plain bytes and convert it at once (keeps multi-byte UTF-8 intact).
                const uchar *run = m_p;
                while (m_p < m_end && *m_p != '"' && *m_p != '\\' && *m_p >= 0x20)
                    ++m_p;
                out += QString::fromUtf8(reinterpret_cast<const char *>(run), m_p - run);
                continue;
            }
            if (++m_p >= m_end)
                break;
            const uchar e = *m_p++;
            switch (e) {
            case '"':
                out += QLatin1Char('"');
                break;
            case '\\':
                out += QLatin1Char('\\');
                break;
            case '/':
                out += QLatin1Char('/');
                break;
            case 'b':
                out += QLatin1Char('\b');
                break;
            case 'f':
                out += QLatin1Char('\f');
                break;
            case 'n':
                out += QLatin1Char('\n');
                break;
            case 'r':
                out += QLatin1Char('\r');
                break;
            case 't':
                out += QLatin1Char('\t');
                break;
            case 'u': {
                char16_t v = 0;
                for (int i = 0; i < 4; ++i) {
                    if (m_p >= m_end)
                        return fail(QStringLiteral("Unexpected end-of-input in character escape sequence"), m_p);
                    const uchar h = *m_p++;
                    int d = -1;
                    if (h >= '0' && h <= '9')
                        d = h - '0';
                    else if (h >= 'a' && h <= 'f')
                        d = h - 'a' + 10;
                    else if (h >= 'A' && h <= 'F')
                        d = h - 'A' + 10;
                    if (d < 0)
                        return fail(QStringLiteral("Unexpected character ('") + QChar(char16_t(h)) +
                                        QStringLiteral("' (code ") + QString::number(h) +
                                        QStringLiteral(")): expected a hex-digit for character escape sequence"),
                                    m_p);
                    v = char16_t(v * 16 + d);
                }
                out += QChar(v);
                break;
            }
            default:
                return fail(QStringLiteral("Unrecognized character escape '") + QChar(char16_t(e)) +
                                QStringLiteral("' (code ") + QString::number(e) + QLatin1Char(')'),
                            m_p);
            }
        }
        return fail(QStringLiteral("Unexpected end-of-input: was expecting closing quote for a string value"), m_p);
    }

    bool string(QString &out)
    {
        QByteArrayView raw;
        bool escaped = false;
        if (!string(raw, out, escaped))
            return false;
        if (!escaped)
            out = QString::fromUtf8(raw);
        return true;
    }

    // A number token, validated with JSON's grammar; `text` views it, isFloat when it has a fraction or exponent.
    bool number(QByteArrayView &text, bool &isFloat)
    {
        const uchar *start = m_p;
        isFloat = false;
        if (*m_p == '-')
            ++m_p;
        if (m_p >= m_end || !(*m_p >= '0' && *m_p <= '9')) {
            if (m_p < m_end && *m_p == 'I')
                return fail(
                    QStringLiteral(
                        "Non-standard token '-Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"),
                    m_p);
            return fail(QStringLiteral("Unexpected character ('") +
                            (m_p < m_end ? QString(QChar(char16_t(*m_p))) : QString()) +
                            QStringLiteral("'): expected digit (0-9) to follow minus sign, for valid numeric value"),
                        m_p + 1);
        }
        if (*m_p == '0' && m_p + 1 < m_end && m_p[1] >= '0' && m_p[1] <= '9')
            return fail(QStringLiteral("Invalid numeric value: Leading zeroes not allowed"), m_p + 2);
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        if (m_p < m_end && *m_p == '.') {
            isFloat = true;
            ++m_p;
            if (m_p >= m_end || !(*m_p >= '0' && *m_p <= '9'))
                return unexpectedChar("Decimal point not followed by a digit");
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isFloat = true;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p >= m_end || !(*m_p >= '0' && *m_p <= '9'))
                return unexpectedChar("Exponent indicator not followed by a digit");
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
        }
        text = QByteArrayView(reinterpret_cast<const char *>(start), m_p - start);
        return true;
    }

    // Skips (and validates) one value of any kind.
    bool skipValue(int depth)
    {
        switch (peek()) {
        case Token::ObjectStart:
            return skipContainer('}', depth + 1);
        case Token::ArrayStart:
            return skipContainer(']', depth + 1);
        case Token::String: {
            QByteArrayView raw;
            QString decoded;
            bool escaped = false;
            return string(raw, decoded, escaped);
        }
        case Token::Number: {
            QByteArrayView text;
            bool isFloat = false;
            return number(text, isFloat);
        }
        case Token::True:
        case Token::False:
        case Token::Null:
            return literal(peek());
        case Token::End:
            return fail(QStringLiteral("Unexpected end-of-input: expected a value"), m_p);
        case Token::Invalid:
            break;
        }
        return invalidValueStart();
    }

    bool invalidValueStart()
    {
        // Jackson reports a token when the character could start a Java identifier, else the character.
        const uchar c = *m_p;
        const bool identifierStart =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
        if (!identifierStart)
            return unexpectedChar("expected a valid value (JSON String, Number, Array, Object or token 'null', "
                                  "'true' or 'false')");
        return unrecognizedToken(m_p);
    }

    bool enter(int depth)
    {
        if (depth > kMaxDepth)
            return fail(QStringLiteral("Document nesting depth (") + QString::number(depth) +
                            QStringLiteral(") exceeds the maximum allowed (1000, from "
                                           "`StreamReadConstraints.getMaxNestingDepth()`)"),
                        m_p);
        return true;
    }

    // Iterates an object: calls onField(name) positioned at each value; onField must consume the value.
    template<typename F>
    bool object(int depth, F &&onField)
    {
        if (!enter(depth))
            return false;
        ++m_p; // '{'
        skipWs();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        QString decodedName;
        while (true) {
            skipWs();
            if (m_p >= m_end)
                return fail(QStringLiteral("Unexpected end-of-input: expected close marker for Object"), m_p);
            if (*m_p != '"')
                return unexpectedChar("was expecting double-quote to start field name");
            QByteArrayView rawName;
            bool escaped = false;
            if (!string(rawName, decodedName, escaped))
                return false;
            QByteArray nameUtf8;
            if (escaped) {
                nameUtf8 = decodedName.toUtf8();
                rawName = nameUtf8;
            }
            skipWs();
            if (m_p >= m_end || *m_p != ':')
                return unexpectedChar("was expecting a colon to separate field name and value");
            ++m_p;
            skipWs();
            if (!onField(rawName))
                return false;
            skipWs();
            if (m_p >= m_end)
                return fail(QStringLiteral("Unexpected end-of-input: expected close marker for Object"), m_p);
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == '}') {
                ++m_p;
                return true;
            }
            return unexpectedChar("was expecting comma to separate Object entries");
        }
    }

    template<typename F>
    bool array(int depth, F &&onElement)
    {
        if (!enter(depth))
            return false;
        ++m_p; // '['
        skipWs();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        while (true) {
            if (!onElement())
                return false;
            skipWs();
            if (m_p >= m_end)
                return fail(QStringLiteral("Unexpected end-of-input: expected close marker for Array"), m_p);
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == ']') {
                ++m_p;
                return true;
            }
            return unexpectedChar("was expecting comma to separate Array entries");
        }
    }

    const uchar *pos() const
    {
        return m_p;
    }

private:
    static int utf8Len(uchar lead)
    {
        return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    }

    bool controlChar(uchar c)
    {
        return fail(QStringLiteral("Illegal unquoted character ((CTRL-CHAR, code ") + QString::number(c) +
                        QStringLiteral(")): has to be escaped using backslash to be included in string value"),
                    m_p + 1);
    }

    bool skipContainer(char close, int depth)
    {
        if (close == '}')
            return object(depth, [this, depth](QByteArrayView) { return skipValue(depth); });
        return array(depth, [this, depth] { return skipValue(depth); });
    }

    QString location(const uchar *at) const
    {
        // Jackson counts lines from 1 and columns in characters from 1.
        int line = 1;
        qsizetype column = 1;
        for (const uchar *q = m_begin; q < at && q < m_end; ++q) {
            if (*q == '\n') {
                ++line;
                column = 1;
            } else if ((*q & 0xC0) != 0x80) {
                column += (*q >= 0xF0) ? 2 : 1; // a supplementary character is two Java chars
            }
        }
        if (m_begin == m_end)
            column = 0;
        return locationPrefix() + QString::number(line) + QStringLiteral(", column: ") + QString::number(column) +
               QLatin1Char(']');
    }

    const uchar *m_begin;
    const uchar *m_p;
    const uchar *m_end;
    const uchar *m_tokenStart = nullptr;
    bool m_failed = false;
    QString m_error;
};

// ---------------------------------------------------------------------------------------------------------------
// Jackson's coercions for the field types Pulsar's data classes use (spec 3.0).

constexpr char kProducerMessageClass[] = "org.apache.pulsar.websocket.data.ProducerMessage";
constexpr char kConsumerCommandClass[] = "org.apache.pulsar.websocket.data.ConsumerCommand";

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

// String.trim(): strips every char <= U+0020 at both ends.
QStringView javaTrim(QStringView s)
{
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && s[b].unicode() <= 0x20)
        ++b;
    while (e > b && s[e - 1].unicode() <= 0x20)
        --e;
    return s.mid(b, e - b);
}

// Long.parseLong: optional sign, then decimal digits (Character.digit accepts any Unicode decimal digit).
bool javaParseLong(QStringView s, qint64 &out)
{
    if (s.isEmpty())
        return false;
    qsizetype i = 0;
    bool negative = false;
    if (s[0] == QLatin1Char('-') || s[0] == QLatin1Char('+')) {
        negative = s[0] == QLatin1Char('-');
        i = 1;
        if (s.size() == 1)
            return false;
    }
    // Accumulate negatively so that Long.MIN_VALUE parses.
    qint64 acc = 0;
    for (; i < s.size(); ++i) {
        const int d = s[i].digitValue();
        if (d < 0)
            return false;
        if (__builtin_mul_overflow(acc, qint64(10), &acc) || __builtin_sub_overflow(acc, qint64(d), &acc))
            return false;
    }
    if (!negative) {
        if (acc == std::numeric_limits<qint64>::min())
            return false;
        acc = -acc;
    }
    out = acc;
    return true;
}

bool parseDouble(QByteArrayView text, double &out)
{
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    if (r.ec == std::errc::result_out_of_range) {
        // from_chars reports overflow and underflow alike; Java's parseDouble gives +-Infinity or 0.
        const bool negative = text.startsWith('-');
        bool tiny = false;
        const qsizetype e = text.indexOf('e') >= 0 ? text.indexOf('e') : text.indexOf('E');
        if (e >= 0)
            tiny = text.sliced(e + 1).startsWith('-');
        out = tiny ? (negative ? -0.0 : 0.0)
                   : (negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
        return true;
    }
    return r.ec == std::errc();
}

struct FieldRef
{
    const char *type;  // the Java class, for the reference chain
    const char *field; // the JSON field
};

// A java.lang.String field: strings, numbers (their text) and booleans; null leaves it absent.
bool readString(JsonIn &in, std::optional<QString> &out, FieldRef ref)
{
    const Token t = in.peek();
    switch (t) {
    case Token::String: {
        QString s;
        if (!in.string(s))
            return false;
        out = std::move(s);
        return true;
    }
    case Token::Number: {
        QByteArrayView text;
        bool isFloat = false;
        if (!in.number(text, isFloat))
            return false;
        out = QString::fromLatin1(text);
        return true;
    }
    case Token::True:
    case Token::False:
        if (!in.literal(t))
            return false;
        out = t == Token::True ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case Token::Null:
        if (!in.literal(t))
            return false;
        out.reset();
        return true;
    case Token::ObjectStart:
    case Token::ArrayStart:
        return in.failField(QStringLiteral("Cannot deserialize value of type `java.lang.String` from ") +
                                QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    case Token::End:
    case Token::Invalid:
        break;
    }
    return in.skipValue(1);
}

// The same for payload-like fields, keeping the raw bytes when there are no escapes (the common case).
struct StringValue
{
    bool present = false;
    QByteArrayView raw; // valid while the input lives; used when !decodedSet
    QString decoded;
    bool decodedSet = false;
};

bool readStringValue(JsonIn &in, StringValue &out, FieldRef ref)
{
    const Token t = in.peek();
    out = StringValue();
    if (t == Token::String) {
        bool escaped = false;
        if (!in.string(out.raw, out.decoded, escaped))
            return false;
        out.present = true;
        out.decodedSet = escaped;
        return true;
    }
    std::optional<QString> s;
    if (!readString(in, s, ref))
        return false;
    if (s) {
        out.present = true;
        out.decoded = *s;
        out.decodedSet = true;
    }
    return true;
}

enum class NumKind
{
    Long,
    Int,
};

// A long/int field (primitive or boxed). Returns false on a Jackson error; `present` is false for null/empty.
bool readInteger(JsonIn &in, qint64 &out, bool &present, NumKind kind, bool primitive, FieldRef ref)
{
    const char *typeName =
        kind == NumKind::Long ? (primitive ? "long" : "java.lang.Long") : (primitive ? "int" : "java.lang.Integer");
    const qint64 lo = kind == NumKind::Long ? std::numeric_limits<qint64>::min() : std::numeric_limits<int>::min();
    const qint64 hi = kind == NumKind::Long ? std::numeric_limits<qint64>::max() : std::numeric_limits<int>::max();
    const Token t = in.peek();
    present = false;
    switch (t) {
    case Token::Number: {
        QByteArrayView text;
        bool isFloat = false;
        if (!in.number(text, isFloat))
            return false;
        if (!isFloat) {
            qint64 v = 0;
            const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
            if (r.ec != std::errc() || v < lo || v > hi)
                return in.failField(QStringLiteral("Numeric value (") + QString::fromLatin1(text) +
                                        QStringLiteral(") out of range of ") +
                                        QLatin1String(kind == NumKind::Long ? "long" : "int") + QStringLiteral(" (") +
                                        QString::number(lo) + QStringLiteral(" - ") + QString::number(hi) +
                                        QLatin1Char(')'),
                                    ref.type, ref.field);
            out = v;
            present = true;
            return true;
        }
        // ACCEPT_FLOAT_AS_INT: the double value truncated toward zero; beyond the range is an error.
        double d = 0;
        if (!parseDouble(text, d))
            return in.failField(QStringLiteral("Invalid numeric value"), ref.type, ref.field);
        if (!(d >= double(lo) && d <= double(hi)))
            return in.failField(
                QStringLiteral("Numeric value (") + QString::fromLatin1(text) + QStringLiteral(") out of range of ") +
                    QLatin1String(kind == NumKind::Long ? "long" : "int") + QStringLiteral(" (") + QString::number(lo) +
                    QStringLiteral(" - ") + QString::number(hi) + QLatin1Char(')'),
                ref.type, ref.field);
        // Java's (long) cast saturates: 2^63 (== double(Long.MAX)) becomes Long.MAX.
        out = d >= 9223372036854775807.0 ? std::numeric_limits<qint64>::max() : qint64(std::trunc(d));
        present = true;
        return true;
    }
    case Token::String: {
        QString s;
        if (!in.string(s))
            return false;
        const QStringView trimmed = javaTrim(s);
        // Empty or blank strings and the text "null" coerce to null (0 for a primitive).
        if (trimmed.isEmpty() || trimmed == QLatin1String("null"))
            return true;
        qint64 v = 0;
        if (!javaParseLong(trimmed, v))
            return in.failField(QStringLiteral("Cannot deserialize value of type `") + QLatin1String(typeName) +
                                    QStringLiteral("` from String ") + quoted(s) + QStringLiteral(": not a valid `") +
                                    QLatin1String(typeName) + QStringLiteral("` value"),
                                ref.type, ref.field);
        if (v < lo || v > hi)
            return in.failField(QStringLiteral("Cannot deserialize value of type `") + QLatin1String(typeName) +
                                    QStringLiteral("` from String ") + quoted(s) +
                                    QStringLiteral(": Overflow: numeric value (") + trimmed.toString() +
                                    QStringLiteral(") out of range of ") + QLatin1String(typeName),
                                ref.type, ref.field);
        out = v;
        present = true;
        return true;
    }
    case Token::Null:
        return in.literal(t);
    case Token::True:
    case Token::False:
    case Token::ObjectStart:
    case Token::ArrayStart:
        return in.failField(QStringLiteral("Cannot deserialize value of type `") + QLatin1String(typeName) +
                                QStringLiteral("` from ") + QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    case Token::End:
    case Token::Invalid:
        break;
    }
    return in.skipValue(1);
}

bool readLong(JsonIn &in, qint64 &out, FieldRef ref)
{
    bool present = false;
    qint64 v = 0;
    if (!readInteger(in, v, present, NumKind::Long, true, ref))
        return false;
    out = present ? v : 0;
    return true;
}

bool readBoxedInt(JsonIn &in, std::optional<int> &out, FieldRef ref)
{
    bool present = false;
    qint64 v = 0;
    if (!readInteger(in, v, present, NumKind::Int, false, ref))
        return false;
    out = present ? std::optional<int>(int(v)) : std::nullopt;
    return true;
}

// A primitive boolean: true/false, ints (0 = false), "true"/"false" in three casings; null and "" are false.
bool readBool(JsonIn &in, bool &out, FieldRef ref)
{
    const Token t = in.peek();
    switch (t) {
    case Token::True:
    case Token::False:
        if (!in.literal(t))
            return false;
        out = t == Token::True;
        return true;
    case Token::Null:
        out = false;
        return in.literal(t);
    case Token::Number: {
        QByteArrayView text;
        bool isFloat = false;
        if (!in.number(text, isFloat))
            return false;
        if (isFloat)
            return in.failField(QStringLiteral("Cannot coerce Floating-point value (") + QString::fromLatin1(text) +
                                    QStringLiteral(") to `boolean` value"),
                                ref.type, ref.field);
        out = text != "0" && text != "-0";
        return true;
    }
    case Token::String: {
        QString s;
        if (!in.string(s))
            return false;
        const QStringView v = javaTrim(s);
        if (v == QLatin1String("true") || v == QLatin1String("True") || v == QLatin1String("TRUE")) {
            out = true;
            return true;
        }
        if (v.isEmpty() || v == QLatin1String("null") || v == QLatin1String("false") || v == QLatin1String("False") ||
            v == QLatin1String("FALSE")) {
            out = false;
            return true;
        }
        return in.failField(QStringLiteral("Cannot deserialize value of type `boolean` from String ") + quoted(s) +
                                QStringLiteral(": only \"true\" or \"false\" recognized"),
                            ref.type, ref.field);
    }
    case Token::ObjectStart:
    case Token::ArrayStart:
        return in.failField(QStringLiteral("Cannot deserialize value of type `boolean` from ") +
                                QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    case Token::End:
    case Token::Invalid:
        break;
    }
    return in.skipValue(1);
}

constexpr const char *kCompressionTypes[] = {"NONE", "LZ4", "ZLIB", "ZSTD", "SNAPPY"};

// A proto CompressionType: its name, or its ordinal as a number or digit string; anything unknown is null
// (READ_UNKNOWN_ENUM_VALUES_AS_NULL).
bool readCompressionType(JsonIn &in, std::optional<QString> &out, FieldRef ref)
{
    const Token t = in.peek();
    out.reset();
    auto byIndex = [&](qint64 index) {
        if (index >= 0 && index < 5)
            out = QLatin1String(kCompressionTypes[index]);
    };
    switch (t) {
    case Token::String: {
        QString s;
        if (!in.string(s))
            return false;
        for (const char *name : kCompressionTypes) {
            if (s == QLatin1String(name)) {
                out = s;
                return true;
            }
        }
        const QStringView trimmed = javaTrim(s);
        for (const char *name : kCompressionTypes) {
            if (trimmed == QLatin1String(name)) {
                out = trimmed.toString();
                return true;
            }
        }
        if (!trimmed.isEmpty() && trimmed[0] >= QLatin1Char('0') && trimmed[0] <= QLatin1Char('9')) {
            bool ok = false;
            const int index = trimmed.toInt(&ok);
            if (ok)
                byIndex(index);
        }
        return true;
    }
    case Token::Number: {
        QByteArrayView text;
        bool isFloat = false;
        if (!in.number(text, isFloat))
            return false;
        if (isFloat)
            return in.failField(QStringLiteral("Cannot deserialize value of type "
                                               "`org.apache.pulsar.common.api.proto.CompressionType` from ") +
                                    QLatin1String(tokenName(t)),
                                ref.type, ref.field);
        qint64 v = -1;
        if (std::from_chars(text.data(), text.data() + text.size(), v).ec == std::errc())
            byIndex(v);
        return true;
    }
    case Token::Null:
        return in.literal(t);
    case Token::True:
    case Token::False:
    case Token::ObjectStart:
    case Token::ArrayStart:
        return in.failField(QStringLiteral("Cannot deserialize value of type "
                                           "`org.apache.pulsar.common.api.proto.CompressionType` from ") +
                                QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    case Token::End:
    case Token::Invalid:
        break;
    }
    return in.skipValue(1);
}

// A Map<String,String> as Jackson builds it (LinkedHashMap): values keep nulls so the caller can act on them.
using NullableProperties = QList<QPair<QString, std::optional<QString>>>;

bool readStringMap(JsonIn &in, std::optional<NullableProperties> &out, FieldRef ref, int depth)
{
    const Token t = in.peek();
    if (t == Token::Null) {
        out.reset();
        return in.literal(t);
    }
    if (t != Token::ObjectStart) {
        if (t == Token::End || t == Token::Invalid)
            return in.skipValue(1);
        return in.failField(QStringLiteral("Cannot deserialize value of type "
                                           "`java.util.LinkedHashMap<java.lang.String,java.lang.String>` from ") +
                                QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    }
    NullableProperties map;
    QHash<QString, qsizetype> index; // only used once the map grows, to keep duplicates linear
    const bool ok = in.object(depth, [&](QByteArrayView name) {
        std::optional<QString> value;
        if (!readString(in, value, ref))
            return false;
        QString key = QString::fromUtf8(name);
        qsizetype at = -1;
        if (map.size() < 16) {
            for (qsizetype i = 0; i < map.size(); ++i) {
                if (map[i].first == key) {
                    at = i;
                    break;
                }
            }
        } else {
            if (index.isEmpty()) {
                for (qsizetype i = 0; i < map.size(); ++i)
                    index.insert(map[i].first, i);
            }
            at = index.value(key, -1);
        }
        if (at >= 0) {
            map[at].second = std::move(value);
        } else {
            if (!index.isEmpty())
                index.insert(key, map.size());
            map.append({std::move(key), std::move(value)});
        }
        return true;
    });
    if (!ok)
        return false;
    out = std::move(map);
    return true;
}

bool readStringList(JsonIn &in, std::optional<QList<std::optional<QString>>> &out, FieldRef ref, int depth)
{
    const Token t = in.peek();
    if (t == Token::Null) {
        out.reset();
        return in.literal(t);
    }
    if (t != Token::ArrayStart) {
        if (t == Token::End || t == Token::Invalid)
            return in.skipValue(1);
        return in.failField(QStringLiteral("Cannot deserialize value of type `java.util.ArrayList<java.lang.String>` "
                                           "from ") +
                                QLatin1String(tokenName(t)),
                            ref.type, ref.field);
    }
    QList<std::optional<QString>> list;
    const bool ok = in.array(depth, [&] {
        std::optional<QString> value;
        if (!readString(in, value, ref))
            return false;
        list.append(std::move(value));
        return true;
    });
    if (!ok)
        return false;
    out = std::move(list);
    return true;
}

// Reads the root: an object goes to onField; JSON null sets isNull; anything else is Jackson's error.
template<typename F>
bool readRoot(JsonIn &in, const char *javaClass, bool &isNull, F &&onField)
{
    isNull = false;
    const Token t = in.peek();
    switch (t) {
    case Token::ObjectStart:
        // Jackson stops after the root value: trailing text is never looked at.
        return in.object(1, std::forward<F>(onField));
    case Token::Null:
        if (!in.literal(t))
            return false;
        isNull = true;
        return true;
    case Token::End:
        return in.fail(QStringLiteral("No content to map due to end-of-input"), in.pos());
    case Token::ArrayStart:
        return in.fail(QStringLiteral("Cannot deserialize value of type `") + QLatin1String(javaClass) +
                           QStringLiteral("` from Array value (token `JsonToken.START_ARRAY`)"),
                       in.pos() + 1);
    case Token::String: {
        QString s;
        if (!in.string(s))
            return false;
        return in.fail(QStringLiteral("Cannot construct instance of `") + QLatin1String(javaClass) +
                           QStringLiteral("` (although at least one Creator exists): no String-argument "
                                          "constructor/factory method to deserialize from String value ('") +
                           s + QStringLiteral("')"),
                       in.pos());
    }
    case Token::Number: {
        QByteArrayView text;
        bool isFloat = false;
        if (!in.number(text, isFloat))
            return false;
        return in.fail(QStringLiteral("Cannot construct instance of `") + QLatin1String(javaClass) +
                           QStringLiteral("` (although at least one Creator exists): no ") +
                           (isFloat ? QStringLiteral("double/Double") : QStringLiteral("int/Int")) +
                           QStringLiteral("-argument constructor/factory method to deserialize from Number value (") +
                           QString::fromLatin1(text) + QStringLiteral(")"),
                       in.pos());
    }
    case Token::True:
    case Token::False:
        if (!in.literal(t))
            return false;
        return in.fail(QStringLiteral("Cannot construct instance of `") + QLatin1String(javaClass) +
                           QStringLiteral("` (although at least one Creator exists): no boolean/Boolean-argument "
                                          "constructor/factory method to deserialize from boolean value (") +
                           (t == Token::True ? QStringLiteral("true") : QStringLiteral("false")) + QStringLiteral(")"),
                       in.pos());
    case Token::Invalid:
        break;
    }
    return in.invalidValueStart();
}

// Java decodes base64 from the String's chars: raw bytes only stand in for them while they are ASCII.
Result<QByteArray> decodeBase64Value(const StringValue &v)
{
    if (v.decodedSet)
        return decodeBase64Java(QStringView(v.decoded));
    // Valid base64 is ASCII, so success on the raw bytes means they were the characters; only a failure needs the
    // characters themselves (a multi-byte sequence is one illegal character, with its own message).
    Result<QByteArray> bytes = decodeBase64Java(v.raw);
    if (bytes)
        return bytes;
    for (const char c : v.raw) {
        if (uchar(c) >= 0x80)
            return decodeBase64Java(QStringView(QString::fromUtf8(v.raw)));
    }
    return bytes;
}

bool isBlank(const std::optional<QString> &s)
{
    // StringUtils.isBlank: null, empty, or only Character.isWhitespace characters.
    if (!s)
        return true;
    for (const QChar c : *s) {
        if (!c.isSpace() || c.unicode() == 0xA0 || c.unicode() == 0x2007 || c.unicode() == 0x202F)
            return false;
    }
    return true;
}

// Whether base64 text is exactly what an encoder writes for its bytes (padded, zero trailing bits).
bool isCanonicalBase64(QByteArrayView text, qsizetype decodedSize)
{
    if (text.size() != (decodedSize + 2) / 3 * 4)
        return false;
    if (decodedSize % 3 == 0)
        return true;
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char last = text[text.size() - (decodedSize % 3 == 1 ? 3 : 2)];
    const char *found = std::strchr(alphabet, last);
    if (!found || !last)
        return false;
    const int v = int(found - alphabet);
    return decodedSize % 3 == 1 ? (v & 0x0F) == 0 : (v & 0x03) == 0;
}

QString utf8(const char *s)
{
    return QString::fromUtf8(s);
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// ProducerSend

QByteArray ProducerSend::encode() const
{
    JsonWriter w(payload.size() * 4 / 3 + 128);
    w.beginObject();
    if (!payloadBase64.isEmpty() || payload.isEmpty())
        w.fieldRaw("payload", payloadBase64);
    else
        w.fieldBase64("payload", payload);
    if (!properties.isEmpty())
        w.field("properties", properties);
    if (context)
        w.field("context", *context);
    if (key)
        w.field("key", *key);
    if (replicationClusters)
        w.field("replicationClusters", *replicationClusters);
    if (eventTime)
        w.field("eventTime", *eventTime);
    if (sequenceId != 0)
        w.field("sequenceId", sequenceId);
    if (disableReplication)
        w.field("disableReplication", true);
    if (deliverAt != 0)
        w.field("deliverAt", deliverAt);
    if (deliverAfterMs != 0)
        w.field("deliverAfterMs", deliverAfterMs);
    if (encryptionParam)
        w.fieldBase64("encryptionParam", *encryptionParam);
    if (compressionType)
        w.field("compressionType", *compressionType);
    if (uncompressedMessageSize)
        w.field("uncompressedMessageSize", *uncompressedMessageSize);
    w.endObject();
    return w.take();
}

ProducerAck ProducerSendDecode::errorAck() const
{
    return ProducerAck::failure(error, errorMsg, context);
}

ProducerSendDecode decodeProducerSend(QByteArrayView utf8Text, bool clientSideEncryption, bool wantPayloadBase64)
{
    ProducerSendDecode d;
    JsonIn in(utf8Text);

    StringValue payload;
    std::optional<NullableProperties> properties;
    std::optional<QString> context, key, eventTime, keySchema, valueSchema, encryptionParam, compressionType;
    std::optional<QList<std::optional<QString>>> replicationClusters;
    qint64 sequenceId = 0, deliverAt = 0, deliverAfterMs = 0, schemaVersion = 0;
    bool disableReplication = false;
    std::optional<int> uncompressedMessageSize, batchSize;

    auto ref = [](const char *field) { return FieldRef{kProducerMessageClass, field}; };
    bool isNull = false;
    const bool parsed = readRoot(in, kProducerMessageClass, isNull, [&](QByteArrayView name) {
        if (name == "payload")
            return readStringValue(in, payload, ref("payload"));
        if (name == "properties")
            return readStringMap(in, properties, ref("properties"), 2);
        if (name == "context")
            return readString(in, context, ref("context"));
        if (name == "key")
            return readString(in, key, ref("key"));
        if (name == "replicationClusters")
            return readStringList(in, replicationClusters, ref("replicationClusters"), 2);
        if (name == "eventTime")
            return readString(in, eventTime, ref("eventTime"));
        if (name == "sequenceId")
            return readLong(in, sequenceId, ref("sequenceId"));
        if (name == "disableReplication")
            return readBool(in, disableReplication, ref("disableReplication"));
        if (name == "deliverAt")
            return readLong(in, deliverAt, ref("deliverAt"));
        if (name == "deliverAfterMs")
            return readLong(in, deliverAfterMs, ref("deliverAfterMs"));
        if (name == "schemaVersion")
            return readLong(in, schemaVersion, ref("schemaVersion"));
        if (name == "keySchema")
            return readString(in, keySchema, ref("keySchema"));
        if (name == "valueSchema")
            return readString(in, valueSchema, ref("valueSchema"));
        if (name == "encryptionParam")
            return readString(in, encryptionParam, ref("encryptionParam"));
        if (name == "compressionType")
            return readCompressionType(in, compressionType, ref("compressionType"));
        if (name == "uncompressedMessageSize")
            return readBoxedInt(in, uncompressedMessageSize, ref("uncompressedMessageSize"));
        if (name == "batchSize")
            return readBoxedInt(in, batchSize, ref("batchSize"));
        return in.skipValue(2); // FAIL_ON_UNKNOWN_PROPERTIES is off
    });

    auto errorAck = [&d](WebSocketError error, const QString &message, const std::optional<QString> &ctx) {
        d.outcome = ProducerSendDecode::Outcome::ErrorAck;
        d.error = error;
        d.errorMsg = message;
        d.context = ctx;
        return d;
    };
    auto close = [&d](const QString &reason) {
        d.outcome = ProducerSendDecode::Outcome::Close;
        d.closeCode = CloseCode::InternalError;
        d.closeReason = reason;
        return d;
    };

    // 1. The JSON itself: error 3 without context; the literal null fails on `sendRequest.context` (error 7).
    if (!parsed)
        return errorAck(WebSocketError::FailedToDeserializeFromJson, in.error(), std::nullopt);
    if (isNull)
        return errorAck(WebSocketError::PayloadEncodingError, utf8(JavaMessages::kNullProducerMessage), std::nullopt);

    // 2. The payload.
    if (!payload.present)
        return errorAck(WebSocketError::PayloadEncodingError, utf8(JavaMessages::kNullPayload), context);
    Result<QByteArray> bytes = decodeBase64Value(payload);
    if (!bytes)
        return errorAck(WebSocketError::PayloadEncodingError,
                        QStringLiteral("Invalid Base64 message-payload error=") + bytes.error().message, context);
    ProducerSend &m = d.message;
    m.payload = std::move(bytes).value();
    if (wantPayloadBase64) {
        const QByteArray payloadText = payload.decodedSet ? payload.decoded.toLatin1() : payload.raw.toByteArray();
        m.payloadBase64 = isCanonicalBase64(payloadText, m.payload.size()) ? payloadText : m.payload.toBase64();
    }

    // 3. Properties (a null value throws IllegalArgumentException: the session closes with 1011), key,
    //    replication clusters, event time, delivery times.
    if (properties) {
        for (auto &entry : *properties) {
            if (!entry.second)
                return close(QStringLiteral("Need Non-Null value for key: ") + entry.first);
            m.properties.append({entry.first, *entry.second});
        }
    }
    m.key = key;
    if (replicationClusters) {
        QStringList clusters;
        for (const auto &c : *replicationClusters) {
            // The message metadata builder dereferences each name: a null one throws.
            if (!c)
                return close(QStringLiteral("NullPointerException"));
            clusters.append(*c);
        }
        m.replicationClusters = clusters;
    }
    if (eventTime) {
        const Result<qint64> ms = parsePulsarTime(*eventTime);
        if (!ms) {
            // Instant.toEpochMilli's ArithmeticException is not caught by the handler.
            if (ms.error().message == QStringView(kLongOverflowMessage))
                return close(ms.error().message);
            return errorAck(WebSocketError::PayloadEncodingError, ms.error().message, context);
        }
        // TypedMessageBuilder.eventTime checks timestamp > 0 with an uncaught IllegalArgumentException.
        if (ms.value() <= 0)
            return close(QStringLiteral("Invalid timestamp : '") + QString::number(ms.value()) + QLatin1Char('\''));
        m.eventTime = eventTime;
        m.eventTimeMs = ms.value();
    }
    m.deliverAt = deliverAt > 0 ? deliverAt : 0;
    m.deliverAfterMs = deliverAfterMs > 0 ? deliverAfterMs : 0;
    m.sequenceId = sequenceId;
    m.disableReplication = disableReplication;
    m.context = context;
    m.compressionType = compressionType;
    m.uncompressedMessageSize = uncompressedMessageSize;

    // 4. End-to-end encryption parameters, checked only in that mode.
    if (!isBlank(encryptionParam)) {
        const Result<QByteArray> iv = decodeBase64Java(QStringView(*encryptionParam));
        if (iv)
            m.encryptionParam = iv.value();
        else if (clientSideEncryption)
            return errorAck(WebSocketError::PayloadEncodingError,
                            QStringLiteral("Invalid Base64 encryptionParam error=") + iv.error().message, context);
    }
    if (clientSideEncryption) {
        const bool both = compressionType && uncompressedMessageSize;
        const bool neither =
            (!compressionType || *compressionType == QLatin1String("NONE")) && !uncompressedMessageSize;
        if (!both && !neither)
            return errorAck(WebSocketError::PayloadEncodingError,
                            QStringLiteral("the params compressionType and uncompressedMessageSize should both empty "
                                           "or both non-empty"),
                            context);
    }
    d.outcome = ProducerSendDecode::Outcome::Send;
    return d;
}

// ---------------------------------------------------------------------------------------------------------------
// ProducerAck

ProducerAck ProducerAck::ok(const QString &messageId, const std::optional<QString> &context)
{
    ProducerAck a;
    a.messageId = messageId;
    a.context = context;
    return a;
}

ProducerAck ProducerAck::failure(WebSocketError error, const std::optional<QString> &errorMsg,
                                 const std::optional<QString> &context)
{
    ProducerAck a;
    a.result = sendErrorResult(error);
    a.errorMsg = errorMsg;
    a.context = context;
    return a;
}

QByteArray ProducerAck::encode() const
{
    JsonWriter w(128);
    w.beginObject();
    w.field("result", result);
    if (errorMsg)
        w.field("errorMsg", *errorMsg);
    if (messageId)
        w.field("messageId", *messageId);
    if (context)
        w.field("context", *context);
    w.field("errorCode", errorCode);
    w.field("schemaVersion", schemaVersion);
    w.endObject();
    return w.take();
}

QByteArray ProducerAck::encodeOk(QByteArrayView messageIdBase64, const std::optional<QString> &context)
{
    JsonWriter w(96 + (context ? context->size() * 3 : 0));
    w.beginObject();
    w.fieldRaw("result", "ok");
    w.fieldRaw("messageId", messageIdBase64);
    if (context)
        w.field("context", *context);
    w.field("errorCode", 0);
    w.field("schemaVersion", qint64(0));
    w.endObject();
    return w.take();
}

namespace {

// True when JsonWriter writes the string's characters as they are: nothing to escape (controls, quote, backslash)
// or re-encode (surrogates). The UTF-16 encoders below build only such strings themselves and leave the rest to
// the UTF-8 path, so both paths always produce the same characters.
bool writtenVerbatim(QStringView text)
{
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c < 0x20 || c == u'"' || c == u'\\' || (c >= 0xD800 && c <= 0xDFFF))
            return false;
    }
    return true;
}

} // namespace

QString ProducerAck::encodeOkText(QByteArrayView messageIdBase64, const std::optional<QString> &context)
{
    if (context && !writtenVerbatim(*context))
        return QString::fromUtf8(encodeOk(messageIdBase64, context));
    // QStringBuilder (QT_USE_QSTRINGBUILDER): the pieces' sizes are summed first and the frame written in one
    // allocation. Appending to a QString piece by piece cost more than the UTF-8 path this replaces.
    const QLatin1StringView id(messageIdBase64.data(), messageIdBase64.size());
    if (!context)
        return uR"({"result":"ok","messageId":")" % id % uR"(","errorCode":0,"schemaVersion":0})";
    return uR"({"result":"ok","messageId":")" % id % uR"(","context":")" % *context %
           uR"(","errorCode":0,"schemaVersion":0})";
}

namespace {

constexpr char kClientSide[] = "frame";

Error jsonError(const JsonIn &in)
{
    return makeError(ErrorCode::InvalidJson, in.error());
}

Error notAnObject()
{
    return makeError(ErrorCode::InvalidJson, QStringLiteral("Expected a JSON object"));
}

Error missingField(const char *field)
{
    return makeError(ErrorCode::InvalidField, QStringLiteral("Missing field \"%1\"").arg(QLatin1String(field)));
}

} // namespace

Result<ProducerAck> ProducerAck::decode(QByteArrayView utf8Text)
{
    JsonIn in(utf8Text);
    ProducerAck a;
    std::optional<QString> result;
    bool isNull = false;
    auto ref = [](const char *field) { return FieldRef{kClientSide, field}; };
    const bool ok = readRoot(in, "ProducerAck", isNull, [&](QByteArrayView name) {
        if (name == "result")
            return readString(in, result, ref("result"));
        if (name == "errorMsg")
            return readString(in, a.errorMsg, ref("errorMsg"));
        if (name == "messageId")
            return readString(in, a.messageId, ref("messageId"));
        if (name == "context")
            return readString(in, a.context, ref("context"));
        if (name == "errorCode") {
            std::optional<int> v;
            if (!readBoxedInt(in, v, ref("errorCode")))
                return false;
            a.errorCode = v.value_or(0);
            return true;
        }
        if (name == "schemaVersion")
            return readLong(in, a.schemaVersion, ref("schemaVersion"));
        return in.skipValue(2);
    });
    if (!ok)
        return jsonError(in);
    if (isNull)
        return notAnObject();
    if (!result)
        return missingField("result");
    a.result = *result;
    return a;
}

// ---------------------------------------------------------------------------------------------------------------
// ConsumerMessage

namespace {

void writeEncryptionContext(JsonWriter &w, const EncryptionContext &c)
{
    w.beginObject("encryptionContext");
    w.beginObject("keys");
    for (const EncryptionKeyEntry &k : c.keys) {
        w.key(k.name);
        w.beginObject();
        w.fieldBase64("keyValue", k.keyValue);
        w.field("metadata", k.metadata);
        w.endObject();
    }
    w.endObject();
    w.fieldBase64("param", c.param);
    if (c.algorithm)
        w.field("algorithm", *c.algorithm);
    if (c.compressionType)
        w.field("compressionType", *c.compressionType);
    w.field("uncompressedMessageSize", c.uncompressedMessageSize);
    if (c.batchSize)
        w.field("batchSize", *c.batchSize);
    else
        w.fieldNull("batchSize");
    if (c.encrypted)
        w.field("encrypted", *c.encrypted);
    w.endObject();
}

} // namespace

QByteArray encodeConsumerMessage(const ConsumerMessageView &m)
{
    const qsizetype payloadSize = m.payloadIsBase64 ? m.payload.size() : (m.payload.size() + 2) / 3 * 4;
    JsonWriter w(payloadSize + m.messageIdBase64.size() + 128);
    w.beginObject();
    w.fieldRaw("messageId", m.messageIdBase64);
    if (m.payloadIsBase64)
        w.fieldRaw("payload", m.payload);
    else
        w.fieldBase64("payload", m.payload);
    if (m.properties)
        w.field("properties", *m.properties);
    else
        w.field("properties", Properties());
    w.fieldRaw("publishTime", m.publishTime);
    w.field("redeliveryCount", m.redeliveryCount);
    if (!m.eventTime.isEmpty())
        w.fieldRaw("eventTime", m.eventTime);
    if (m.encryptionContext)
        writeEncryptionContext(w, *m.encryptionContext);
    if (m.key)
        w.field("key", *m.key);
    w.endObject();
    return w.take();
}

QByteArray ConsumerMessage::encode() const
{
    const QByteArray id = messageId.toUtf8();
    const QByteArray publish = publishTime.toUtf8();
    const QByteArray event = eventTime ? eventTime->toUtf8() : QByteArray();
    ConsumerMessageView v;
    v.messageIdBase64 = id;
    v.payload = payload;
    v.properties = &properties;
    v.publishTime = publish;
    v.redeliveryCount = redeliveryCount;
    v.encryptionContext = encryptionContext ? &*encryptionContext : nullptr;
    v.key = key ? &*key : nullptr;
    // The fast path writes the id and the times unescaped and treats an empty eventTime as absent: use it only when
    // neither matters (always, for what a server produces).
    bool plain = !(eventTime && eventTime->isEmpty());
    for (const QByteArray *s : {&id, &publish, &event}) {
        for (const char c : *s) {
            if (uchar(c) < 0x20 || c == '"' || c == '\\')
                plain = false;
        }
    }
    if (plain) {
        v.eventTime = event;
        return encodeConsumerMessage(v);
    }
    JsonWriter w(payload.size() * 4 / 3 + 128);
    w.beginObject();
    w.field("messageId", messageId);
    w.fieldBase64("payload", payload);
    w.field("properties", properties);
    w.field("publishTime", publishTime);
    w.field("redeliveryCount", redeliveryCount);
    if (eventTime)
        w.field("eventTime", *eventTime);
    if (encryptionContext)
        writeEncryptionContext(w, *encryptionContext);
    if (key)
        w.field("key", *key);
    w.endObject();
    return w.take();
}

namespace {

Result<Properties> toProperties(const std::optional<NullableProperties> &map)
{
    Properties out;
    if (map) {
        for (const auto &e : *map)
            out.append({e.first, e.second.value_or(QString())});
    }
    return out;
}

bool readEncryptionContext(JsonIn &in, EncryptionContext &c, Error &err, int depth)
{
    auto ref = [](const char *field) { return FieldRef{"EncryptionContext", field}; };
    if (in.peek() != Token::ObjectStart) {
        err = makeError(ErrorCode::InvalidField, QStringLiteral("\"encryptionContext\" is not an object"));
        return false;
    }
    return in.object(depth, [&](QByteArrayView name) {
        if (name == "keys") {
            if (in.peek() == Token::Null)
                return in.literal(Token::Null);
            if (in.peek() != Token::ObjectStart) {
                err = makeError(ErrorCode::InvalidField, QStringLiteral("\"keys\" is not an object"));
                return false;
            }
            return in.object(depth + 1, [&](QByteArrayView keyName) {
                EncryptionKeyEntry entry;
                entry.name = QString::fromUtf8(keyName);
                if (in.peek() == Token::Null) {
                    c.keys.append(entry);
                    return in.literal(Token::Null);
                }
                if (in.peek() != Token::ObjectStart) {
                    err = makeError(ErrorCode::InvalidField, QStringLiteral("An encryption key is not an object"));
                    return false;
                }
                const bool ok = in.object(depth + 2, [&](QByteArrayView field) {
                    if (field == "keyValue") {
                        std::optional<QString> b64;
                        if (!readString(in, b64, ref("keyValue")))
                            return false;
                        if (b64) {
                            const Result<QByteArray> bytes = decodeBase64Java(QStringView(*b64));
                            if (!bytes) {
                                err = makeError(ErrorCode::InvalidBase64,
                                                QStringLiteral("keyValue: ") + bytes.error().message);
                                return false;
                            }
                            entry.keyValue = bytes.value();
                        }
                        return true;
                    }
                    if (field == "metadata") {
                        std::optional<NullableProperties> map;
                        if (!readStringMap(in, map, ref("metadata"), depth + 3))
                            return false;
                        entry.metadata = toProperties(map).value();
                        return true;
                    }
                    return in.skipValue(depth + 3);
                });
                if (ok)
                    c.keys.append(entry);
                return ok;
            });
        }
        if (name == "param") {
            std::optional<QString> b64;
            if (!readString(in, b64, ref("param")))
                return false;
            if (b64) {
                const Result<QByteArray> bytes = decodeBase64Java(QStringView(*b64));
                if (!bytes) {
                    err = makeError(ErrorCode::InvalidBase64, QStringLiteral("param: ") + bytes.error().message);
                    return false;
                }
                c.param = bytes.value();
            }
            return true;
        }
        if (name == "algorithm")
            return readString(in, c.algorithm, ref("algorithm"));
        if (name == "compressionType")
            return readString(in, c.compressionType, ref("compressionType"));
        if (name == "uncompressedMessageSize") {
            std::optional<int> v;
            if (!readBoxedInt(in, v, ref("uncompressedMessageSize")))
                return false;
            c.uncompressedMessageSize = v.value_or(0);
            return true;
        }
        if (name == "batchSize") {
            // Before Pulsar 3.0 the Optional was written as a bean: {"empty":true,"present":false}.
            if (in.peek() == Token::ObjectStart)
                return in.skipValue(depth + 1);
            return readBoxedInt(in, c.batchSize, ref("batchSize"));
        }
        if (name == "encrypted") {
            bool v = false;
            if (!readBool(in, v, ref("encrypted")))
                return false;
            c.encrypted = v;
            return true;
        }
        return in.skipValue(depth + 1);
    });
}

// Reads the fields of a ConsumerMessage; shared by ConsumerMessage::decode and ConsumerServerFrame::decode.
struct ServerFrameFields
{
    std::optional<QString> messageId;
    StringValue payload;
    std::optional<NullableProperties> properties;
    std::optional<QString> publishTime;
    std::optional<int> redeliveryCount;
    std::optional<QString> eventTime;
    std::optional<EncryptionContext> encryptionContext;
    std::optional<QString> key;
    std::optional<bool> endOfTopic;
    bool isNull = false;
};

Result<ServerFrameFields> readServerFrame(QByteArrayView utf8Text)
{
    JsonIn in(utf8Text);
    ServerFrameFields f;
    Error err;
    auto ref = [](const char *field) { return FieldRef{kClientSide, field}; };
    const bool ok = readRoot(in, "ConsumerMessage", f.isNull, [&](QByteArrayView name) {
        if (name == "messageId")
            return readString(in, f.messageId, ref("messageId"));
        if (name == "payload")
            return readStringValue(in, f.payload, ref("payload"));
        if (name == "properties")
            return readStringMap(in, f.properties, ref("properties"), 2);
        if (name == "publishTime")
            return readString(in, f.publishTime, ref("publishTime"));
        if (name == "redeliveryCount")
            return readBoxedInt(in, f.redeliveryCount, ref("redeliveryCount"));
        if (name == "eventTime")
            return readString(in, f.eventTime, ref("eventTime"));
        if (name == "key")
            return readString(in, f.key, ref("key"));
        if (name == "encryptionContext") {
            if (in.peek() == Token::Null) {
                f.encryptionContext.reset();
                return in.literal(Token::Null);
            }
            EncryptionContext c;
            if (!readEncryptionContext(in, c, err, 2))
                return false;
            f.encryptionContext = std::move(c);
            return true;
        }
        if (name == "endOfTopic") {
            bool v = false;
            if (!readBool(in, v, ref("endOfTopic")))
                return false;
            f.endOfTopic = v;
            return true;
        }
        return in.skipValue(2);
    });
    if (!ok)
        return err.code != ErrorCode::None ? err : jsonError(in);
    if (f.isNull)
        return notAnObject();
    return f;
}

Result<ConsumerMessage> toConsumerMessage(const ServerFrameFields &f)
{
    if (!f.messageId)
        return missingField("messageId");
    if (!f.payload.present)
        return missingField("payload");
    ConsumerMessage m;
    m.messageId = *f.messageId;
    const Result<QByteArray> bytes = decodeBase64Value(f.payload);
    if (!bytes)
        return makeError(ErrorCode::InvalidBase64, QStringLiteral("payload: ") + bytes.error().message);
    m.payload = bytes.value();
    m.properties = toProperties(f.properties).value();
    m.publishTime = f.publishTime.value_or(QString());
    m.redeliveryCount = f.redeliveryCount.value_or(0);
    m.eventTime = f.eventTime;
    m.encryptionContext = f.encryptionContext;
    m.key = f.key;
    return m;
}

} // namespace

Result<ConsumerMessage> ConsumerMessage::decode(QByteArrayView utf8Text)
{
    const Result<ServerFrameFields> f = readServerFrame(utf8Text);
    if (!f)
        return f.error();
    return toConsumerMessage(f.value());
}

QByteArray EndOfTopicResponse::encode() const
{
    return endOfTopic ? QByteArrayLiteral("{\"endOfTopic\":true}") : QByteArrayLiteral("{\"endOfTopic\":false}");
}

Result<EndOfTopicResponse> EndOfTopicResponse::decode(QByteArrayView utf8Text)
{
    const Result<ServerFrameFields> f = readServerFrame(utf8Text);
    if (!f)
        return f.error();
    if (!f->endOfTopic)
        return missingField("endOfTopic");
    return EndOfTopicResponse{*f->endOfTopic};
}

Result<ConsumerServerFrame> ConsumerServerFrame::decode(QByteArrayView utf8Text)
{
    const Result<ServerFrameFields> f = readServerFrame(utf8Text);
    if (!f)
        return f.error();
    ConsumerServerFrame frame;
    if (!f->messageId) {
        if (!f->endOfTopic)
            return missingField("messageId");
        frame.kind = Kind::EndOfTopic;
        frame.endOfTopic.endOfTopic = *f->endOfTopic;
        return frame;
    }
    Result<ConsumerMessage> m = toConsumerMessage(f.value());
    if (!m)
        return m.error();
    frame.kind = Kind::Message;
    frame.message = std::move(m).value();
    return frame;
}

// ---------------------------------------------------------------------------------------------------------------
// ConsumerCommand

ConsumerCommand ConsumerCommand::ack(const QString &messageId)
{
    ConsumerCommand c;
    c.messageId = messageId;
    return c;
}

ConsumerCommand ConsumerCommand::negativeAcknowledge(const QString &messageId)
{
    ConsumerCommand c;
    c.type = QStringLiteral("negativeAcknowledge");
    c.messageId = messageId;
    return c;
}

ConsumerCommand ConsumerCommand::permit(int messages)
{
    ConsumerCommand c;
    c.type = QStringLiteral("permit");
    c.permitMessages = messages;
    return c;
}

ConsumerCommand ConsumerCommand::unsubscribe()
{
    ConsumerCommand c;
    c.type = QStringLiteral("unsubscribe");
    return c;
}

ConsumerCommand ConsumerCommand::isEndOfTopic()
{
    ConsumerCommand c;
    c.type = QStringLiteral("isEndOfTopic");
    return c;
}

QByteArray ConsumerCommand::encode() const
{
    JsonWriter w(96);
    w.beginObject();
    if (type)
        w.field("type", *type);
    if (messageId)
        w.field("messageId", *messageId);
    if (permitMessages)
        w.field("permitMessages", *permitMessages);
    w.endObject();
    return w.take();
}

QString ConsumerCommand::encodeText() const
{
    if ((type && !writtenVerbatim(*type)) || (messageId && !writtenVerbatim(*messageId)))
        return QString::fromUtf8(encode());
    // QStringBuilder, as in encodeOkText. An ack, the frame a consumer sends for every message, is one expression;
    // the other commands add one expression per field to a string reserved for all of them.
    if (messageId && !type && !permitMessages)
        return uR"({"messageId":")" % *messageId % uR"("})";
    QString out;
    out.reserve(48 + (type ? type->size() : 0) + (messageId ? messageId->size() : 0));
    out += u'{';
    if (type)
        out += u"\"type\":\"" % *type % u'"';
    if (messageId)
        out += (type ? u"," : u"") % QStringView(u"\"messageId\":\"") % *messageId % u'"';
    if (permitMessages)
        out +=
            (type || messageId ? u"," : u"") % QStringView(u"\"permitMessages\":") % QString::number(*permitMessages);
    out += u'}';
    return out;
}

namespace {

struct RawCommand
{
    bool parsed = false;
    bool isNull = false;
    std::optional<QString> type;
    std::optional<QString> messageId;
    std::optional<int> permitMessages;
};

RawCommand readCommand(QByteArrayView utf8Text)
{
    JsonIn in(utf8Text);
    RawCommand c;
    auto ref = [](const char *field) { return FieldRef{kConsumerCommandClass, field}; };
    c.parsed = readRoot(in, kConsumerCommandClass, c.isNull, [&](QByteArrayView name) {
        if (name == "type")
            return readString(in, c.type, ref("type"));
        if (name == "messageId")
            return readString(in, c.messageId, ref("messageId"));
        if (name == "permitMessages")
            return readBoxedInt(in, c.permitMessages, ref("permitMessages"));
        return in.skipValue(2);
    });
    return c;
}

} // namespace

ConsumerCommandOutcome decodeConsumerCommand(QByteArrayView utf8Text)
{
    ConsumerCommandOutcome o;
    auto close = [&o](int code, const QString &reason) {
        o.action = ConsumerCommandOutcome::Action::Close;
        o.closeCode = code;
        o.closeReason = reason;
        return o;
    };
    const int failedJson = int(WebSocketError::FailedToDeserializeFromJson);
    const RawCommand c = readCommand(utf8Text);
    // Jackson's IOException closes with 3; anything else the handler throws closes with 1011.
    if (!c.parsed)
        return close(failedJson, webSocketErrorDescription(WebSocketError::FailedToDeserializeFromJson));
    if (c.isNull)
        return close(CloseCode::InternalError, utf8(JavaMessages::kNullCommand));

    const QString type = c.type.value_or(QString());
    if (c.type && type == QLatin1String("permit")) {
        if (!c.permitMessages)
            return close(failedJson, webSocketErrorDescription(WebSocketError::FailedToDeserializeFromJson));
        o.action = ConsumerCommandOutcome::Action::Permit;
        o.permitMessages = *c.permitMessages;
        return o;
    }
    if (c.type && type == QLatin1String("unsubscribe")) {
        o.action = ConsumerCommandOutcome::Action::Unsubscribe;
        return o;
    }
    if (c.type && type == QLatin1String("isEndOfTopic")) {
        o.action = ConsumerCommandOutcome::Action::IsEndOfTopic;
        return o;
    }
    const bool nack = c.type && type == QLatin1String("negativeAcknowledge");
    // Ack (any other type, or none) and nack both decode the id before anything else.
    if (!c.messageId)
        return close(CloseCode::InternalError, utf8(JavaMessages::kNullPayload));
    const Result<QByteArray> bytes = decodeBase64Java(QStringView(*c.messageId));
    if (!bytes)
        return close(CloseCode::InternalError, bytes.error().message);
    const Result<MessageId> id = MessageId::fromBytes(bytes.value());
    if (!id)
        return close(failedJson, webSocketErrorDescription(WebSocketError::FailedToDeserializeFromJson));
    o.action = nack ? ConsumerCommandOutcome::Action::NegativeAck : ConsumerCommandOutcome::Action::Ack;
    o.messageIdText = *c.messageId;
    o.messageId = id.value();
    return o;
}

ReaderCommandOutcome decodeReaderCommand(QByteArrayView utf8Text)
{
    ReaderCommandOutcome o;
    const RawCommand c = readCommand(utf8Text);
    if (!c.parsed) {
        o.action = ReaderCommandOutcome::Action::FreeSlotAndClose;
        o.closeCode = int(WebSocketError::FailedToDeserializeFromJson);
        o.closeReason = webSocketErrorDescription(WebSocketError::FailedToDeserializeFromJson);
        return o;
    }
    if (c.isNull) {
        o.action = ReaderCommandOutcome::Action::Close;
        o.closeCode = CloseCode::InternalError;
        o.closeReason = utf8(JavaMessages::kNullCommand);
        return o;
    }
    o.action = c.type && *c.type == QLatin1String("isEndOfTopic") ? ReaderCommandOutcome::Action::IsEndOfTopic
                                                                  : ReaderCommandOutcome::Action::FreeSlot;
    return o;
}

} // namespace Pulsar
