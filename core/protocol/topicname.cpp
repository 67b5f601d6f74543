#include "topicname.h"

#include <QByteArray>
#include <QStringList>

#include <limits>

namespace Pulsar {

namespace {

constexpr QStringView kPartitionSuffix = u"-partition-";

Error topicError(const QString &message)
{
    return makeError(ErrorCode::InvalidTopicName, message);
}

Error namespaceError(const QString &message)
{
    return makeError(ErrorCode::InvalidNamespaceName, message);
}

// Java's equalsIgnoreCase compares UTF-16 units one by one, through upper case and then lower case, so that
// letters such as U+017F (long s) or U+0131 (dotless i) match their ASCII partners.
bool javaEqualsIgnoreCase(QStringView a, QStringView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QChar c1 = a[i];
        const QChar c2 = b[i];
        if (c1 == c2)
            continue;
        const QChar u1 = c1.toUpper();
        const QChar u2 = c2.toUpper();
        if (u1 == u2)
            continue;
        if (u1.toLower() == u2.toLower())
            continue;
        return false;
    }
    return true;
}

// Character.digit(char, radix): ASCII and full-width Latin letters count as digits above 9, and every Unicode
// decimal digit (Nd) counts with its value. Integer.parseInt goes through this, so Pulsar does too.
int javaDigit(QChar c, int radix)
{
    const char16_t u = c.unicode();
    int value = -1;
    if (u >= u'0' && u <= u'9')
        value = u - u'0';
    else if (u >= u'a' && u <= u'z')
        value = u - u'a' + 10;
    else if (u >= u'A' && u <= u'Z')
        value = u - u'A' + 10;
    else if (u >= 0xFF21 && u <= 0xFF3A)
        value = u - 0xFF21 + 10;
    else if (u >= 0xFF41 && u <= 0xFF5A)
        value = u - 0xFF41 + 10;
    else if (c.category() == QChar::Number_DecimalDigit)
        value = c.digitValue();
    return value < radix ? value : -1;
}

// Integer.parseInt(CharSequence, radix). On failure, errorIndex is the index Java's NumberFormatException names.
bool javaParseInt(QStringView text, int radix, int *value, qsizetype *errorIndex)
{
    qsizetype i = 0;
    bool negative = false;
    if (text.isEmpty()) {
        *errorIndex = 0;
        return false;
    }
    const QChar first = text[0];
    if (first < u'0') {
        if (first == u'-')
            negative = true;
        else if (first != u'+') {
            *errorIndex = 0;
            return false;
        }
        ++i;
        if (i == text.size()) {
            *errorIndex = i;
            return false;
        }
    }
    const qint64 limit = negative ? -qint64(std::numeric_limits<int>::min()) : std::numeric_limits<int>::max();
    qint64 result = 0;
    for (; i < text.size(); ++i) {
        const int digit = javaDigit(text[i], radix);
        if (digit < 0) {
            *errorIndex = i;
            return false;
        }
        result = result * radix + digit;
        if (result > limit) {
            *errorIndex = i;
            return false;
        }
    }
    *value = int(negative ? -result : result);
    return true;
}

void appendPercentByte(QString &out, uchar byte)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    out += QLatin1Char('%');
    out += QLatin1Char(hex[byte >> 4]);
    out += QLatin1Char(hex[byte & 0xF]);
}

void appendUtf8Escaped(QString &out, char32_t codePoint)
{
    char bytes[4];
    int count = 0;
    if (codePoint < 0x80) {
        bytes[count++] = char(codePoint);
    } else if (codePoint < 0x800) {
        bytes[count++] = char(0xC0 | (codePoint >> 6));
        bytes[count++] = char(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        bytes[count++] = char(0xE0 | (codePoint >> 12));
        bytes[count++] = char(0x80 | ((codePoint >> 6) & 0x3F));
        bytes[count++] = char(0x80 | (codePoint & 0x3F));
    } else {
        bytes[count++] = char(0xF0 | (codePoint >> 18));
        bytes[count++] = char(0x80 | ((codePoint >> 12) & 0x3F));
        bytes[count++] = char(0x80 | ((codePoint >> 6) & 0x3F));
        bytes[count++] = char(0x80 | (codePoint & 0x3F));
    }
    for (int i = 0; i < count; ++i)
        appendPercentByte(out, uchar(bytes[i]));
}

// Java's String.split("/"): keeps a leading empty part, drops all trailing empty parts.
QStringList javaSplit(const QString &text, QChar separator)
{
    QStringList parts = text.split(separator, Qt::KeepEmptyParts);
    while (!parts.isEmpty() && parts.constLast().isEmpty())
        parts.removeLast();
    return parts;
}

// Guava's Splitter.on('/').limit(n): at most n pieces, the last one keeps the remaining separators.
QStringList splitLimited(const QString &text, QChar separator, int limit)
{
    QStringList parts;
    qsizetype start = 0;
    while (parts.size() < limit - 1) {
        const qsizetype at = text.indexOf(separator, start);
        if (at < 0)
            break;
        parts.append(text.mid(start, at - start));
        start = at + 1;
    }
    parts.append(text.mid(start));
    return parts;
}

} // namespace

QString topicDomainName(TopicDomain domain)
{
    return domain == TopicDomain::Persistent ? QStringLiteral("persistent") : QStringLiteral("non-persistent");
}

Result<TopicDomain> topicDomainFromString(QStringView text)
{
    if (javaEqualsIgnoreCase(text, u"persistent"))
        return TopicDomain::Persistent;
    if (javaEqualsIgnoreCase(text, u"non-persistent"))
        return TopicDomain::NonPersistent;
    return topicError(QStringLiteral("Invalid enum value ") + text);
}

// ---- NamespaceName -------------------------------------------------------------------------------------------

bool NamespaceName::isValidNamedEntity(QStringView name)
{
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' ||
                        u == u'-' || u == u'=' || u == u':' || u == u'.';
        if (!ok)
            return false;
    }
    return true;
}

Result<NamespaceName> NamespaceName::fromParts(const QString &tenant, const QString &localName)
{
    if (tenant.isEmpty() || localName.isEmpty())
        return namespaceError(QStringLiteral("Invalid namespace format. namespace: ") + tenant + u'/' + localName);
    for (const QString *part : {&tenant, &localName}) {
        if (!isValidNamedEntity(*part))
            return namespaceError(QStringLiteral("Invalid named entity: ") + *part);
    }
    NamespaceName result;
    result.m_tenant = tenant;
    result.m_localName = localName;
    return result;
}

Result<NamespaceName> NamespaceName::fromParts(const QString &tenant, const QString &cluster, const QString &localName)
{
    if (tenant.isEmpty() || cluster.isEmpty() || localName.isEmpty()) {
        return namespaceError(QStringLiteral("Invalid namespace format. namespace: ") + tenant + u'/' + cluster + u'/' +
                              localName);
    }
    for (const QString *part : {&tenant, &cluster, &localName}) {
        if (!isValidNamedEntity(*part))
            return namespaceError(QStringLiteral("Invalid named entity: ") + *part);
    }
    NamespaceName result;
    result.m_tenant = tenant;
    result.m_cluster = cluster;
    result.m_localName = localName;
    return result;
}

Result<NamespaceName> NamespaceName::parse(const QString &name)
{
    if (name.isEmpty())
        return namespaceError(QStringLiteral("Invalid null namespace: ") + name);
    // Pulsar's constructor wraps every failure, including its own "namespace: X" one, in this message.
    const QStringList parts = javaSplit(name, u'/');
    Result<NamespaceName> result = parts.size() == 2   ? fromParts(parts[0], parts[1])
                                   : parts.size() == 3 ? fromParts(parts[0], parts[1], parts[2])
                                                       : Result<NamespaceName>(namespaceError(QString()));
    if (!result.ok()) {
        return namespaceError(QStringLiteral("Invalid namespace format. expected <tenant>/<namespace> or "
                                             "<tenant>/<cluster>/<namespace> but got: ") +
                              name);
    }
    return result;
}

QString NamespaceName::toString() const
{
    if (m_cluster.isEmpty())
        return m_tenant + u'/' + m_localName;
    return m_tenant + u'/' + m_cluster + u'/' + m_localName;
}

// ---- TopicName -----------------------------------------------------------------------------------------------

Result<TopicName> TopicName::parse(const QString &name)
{
    QString complete = name;
    if (!complete.contains(u"://")) {
        // StringUtils.split drops empty tokens, but the 3-token case keeps the original text, empty tokens and all.
        const QStringList parts = complete.split(u'/', Qt::SkipEmptyParts);
        if (parts.size() == 3) {
            complete = QStringLiteral("persistent://") + complete;
        } else if (parts.size() == 1) {
            complete = QStringLiteral("persistent://public/default/") + parts[0];
        } else {
            return topicError(QStringLiteral("Invalid short topic name '") + name +
                              QStringLiteral("', it should be in the format of <tenant>/<namespace>/<topic> or "
                                             "<topic>"));
        }
    }

    const qsizetype separator = complete.indexOf(u"://");
    const Result<TopicDomain> domain = topicDomainFromString(QStringView(complete).left(separator));
    if (!domain.ok())
        return domain.error();
    const QStringList parts = splitLimited(complete.mid(separator + 3), u'/', 4);

    TopicName topic;
    topic.m_domain = *domain;
    Result<NamespaceName> ns = NamespaceName();
    if (parts.size() == 3) {
        topic.m_tenant = parts[0];
        topic.m_namespacePortion = parts[1];
        topic.m_localName = parts[2];
        ns = NamespaceName::fromParts(parts[0], parts[1]);
    } else if (parts.size() == 4) {
        topic.m_tenant = parts[0];
        topic.m_cluster = parts[1];
        topic.m_namespacePortion = parts[2];
        topic.m_localName = parts[3];
        ns = NamespaceName::fromParts(parts[0], parts[1], parts[2]);
    } else {
        return topicError(QStringLiteral("Invalid topic name: ") + complete);
    }
    // Pulsar validates the namespace before it looks at the local name.
    if (!ns.ok())
        return topicError(ns.error().message);
    if (topic.m_localName.isEmpty())
        return topicError(QStringLiteral("Invalid topic name: ") + complete);

    topic.m_fullName = topicDomainName(topic.m_domain) + QStringLiteral("://") + topic.m_tenant + u'/';
    if (!topic.m_cluster.isEmpty())
        topic.m_fullName += topic.m_cluster + u'/';
    topic.m_fullName += topic.m_namespacePortion + u'/' + topic.m_localName;
    // Pulsar computes this on the name before it rebuilds it; only the domain's case can differ, and the domain
    // cannot hold "-partition-", so the rebuilt name gives the same index.
    topic.m_partitionIndex = partitionIndexOf(topic.m_fullName);
    return topic;
}

int TopicName::partitionIndexOf(QStringView name)
{
    const qsizetype at = name.lastIndexOf(kPartitionSuffix);
    if (at < 0)
        return -1;
    const QStringView digits = name.mid(at + kPartitionSuffix.size());
    int value = -1;
    qsizetype errorIndex = 0;
    if (!javaParseInt(digits, 10, &value, &errorIndex))
        return -1;
    // Pulsar refuses "-partition--1" and "-partition-01" (and so "+1"): only the canonical spelling counts.
    if (value < 0 || digits.size() != QString::number(value).size())
        return -1;
    return value;
}

NamespaceName TopicName::namespaceName() const
{
    if (!isValid())
        return NamespaceName();
    const Result<NamespaceName> ns = m_cluster.isEmpty()
                                         ? NamespaceName::fromParts(m_tenant, m_namespacePortion)
                                         : NamespaceName::fromParts(m_tenant, m_cluster, m_namespacePortion);
    return ns.ok() ? *ns : NamespaceName();
}

QString TopicName::partitionedTopicName() const
{
    if (!isPartitioned())
        return m_fullName;
    return m_fullName.left(m_fullName.lastIndexOf(kPartitionSuffix));
}

TopicName TopicName::partition(int index) const
{
    const QString suffix = kPartitionSuffix + QString::number(index);
    if (index == -1 || m_fullName.endsWith(suffix))
        return *this;
    // Appending to the local name never makes a valid name invalid.
    const Result<TopicName> result = parse(m_fullName + suffix);
    return result.ok() ? *result : TopicName();
}

QString TopicName::restPath() const
{
    QString path = topicDomainName(m_domain) + u'/' + m_tenant + u'/';
    if (!m_cluster.isEmpty())
        path += m_cluster + u'/';
    return path + m_namespacePortion + u'/' + encodedLocalName();
}

QString TopicName::encodeComponent(const QString &text)
{
    QString out;
    out.reserve(text.size() * 3);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'-' ||
            u == u'_' || u == u'.' || u == u'*') {
            out += QChar(u);
        } else if (u == u' ') {
            out += QLatin1Char('+');
        } else if (QChar::isHighSurrogate(u) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            appendUtf8Escaped(out, QChar::surrogateToUcs4(u, text[i + 1].unicode()));
            ++i;
        } else if (QChar::isSurrogate(u)) {
            appendPercentByte(out, '?');
        } else {
            appendUtf8Escaped(out, u);
        }
    }
    return out;
}

Result<QString> TopicName::decodeComponent(QStringView raw)
{
    const QString illegalHex = QStringLiteral("URLDecoder: Illegal hex characters in escape (%) pattern - ");
    QString out;
    out.reserve(raw.size());
    const qsizetype n = raw.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = raw[i];
        if (c == u'+') {
            out += QLatin1Char(' ');
            ++i;
        } else if (c == u'%') {
            // URLDecoder gathers a whole run of escapes and decodes the bytes together as UTF-8.
            QByteArray bytes;
            while (i + 2 < n && raw[i] == u'%') {
                const QStringView hex = raw.mid(i + 1, 2);
                int value = 0;
                qsizetype errorIndex = 0;
                if (!javaParseInt(hex, 16, &value, &errorIndex)) {
                    return makeError(ErrorCode::InvalidPath, illegalHex + QStringLiteral("Error at index ") +
                                                                 QString::number(errorIndex) +
                                                                 QStringLiteral(" in: \"") + hex + u'"');
                }
                if (value < 0)
                    return makeError(ErrorCode::InvalidPath, illegalHex + QStringLiteral("negative value"));
                bytes.append(char(value));
                i += 3;
            }
            if (i < n && raw[i] == u'%')
                return makeError(ErrorCode::InvalidPath,
                                 QStringLiteral("URLDecoder: Incomplete trailing escape (%) pattern"));
            out += QString::fromUtf8(bytes);
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

} // namespace Pulsar
