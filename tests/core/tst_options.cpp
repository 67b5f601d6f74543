#include "protocol/options.h"

#include <QtTest>

#include <functional>

using namespace Pulsar;

Q_DECLARE_METATYPE(Pulsar::ProducerOptions)
Q_DECLARE_METATYPE(Pulsar::ConsumerOptions)
Q_DECLARE_METATYPE(Pulsar::ReaderOptions)
Q_DECLARE_METATYPE(Pulsar::ErrorCode)
Q_DECLARE_METATYPE(Pulsar::ReaderStart)

namespace {

QString optText(const std::optional<QString> &v)
{
    return v ? QLatin1Char('"') + *v + QLatin1Char('"') : QStringLiteral("<unset>");
}
template<typename T>
QString optNumber(const std::optional<T> &v)
{
    return v ? QString::number(*v) : QStringLiteral("<unset>");
}

// Every field, so that a failed QCOMPARE shows which one differs.
QString describe(const ProducerOptions &o)
{
    return QStringLiteral("producerName=") + optText(o.producerName) + QStringLiteral(" initialSequenceId=") +
           optNumber(o.initialSequenceId) + QStringLiteral(" hashingScheme=") + toString(o.hashingScheme) +
           QStringLiteral(" sendTimeoutMillis=") + QString::number(o.sendTimeoutMillis) +
           QStringLiteral(" batchingEnabled=") + QString::number(o.batchingEnabled) +
           QStringLiteral(" batchingMaxMessages=") + QString::number(o.batchingMaxMessages) +
           QStringLiteral(" maxPendingMessages=") + QString::number(o.maxPendingMessages) +
           QStringLiteral(" batchingMaxPublishDelay=") + QString::number(o.batchingMaxPublishDelay) +
           QStringLiteral(" messageRoutingMode=") + toString(o.messageRoutingMode) +
           QStringLiteral(" compressionType=") + toString(o.compressionType) + QStringLiteral(" encryptionKeys=") +
           optText(o.encryptionKeys) + QStringLiteral(" token=") + optText(o.token);
}
QString describe(const ConsumerOptions &o)
{
    return QStringLiteral("subscriptionType=") + toString(o.subscriptionType) + QStringLiteral(" subscriptionMode=") +
           toString(o.subscriptionMode) + QStringLiteral(" subscriptionInitialPosition=") +
           toString(o.subscriptionInitialPosition) + QStringLiteral(" ackTimeoutMillis=") +
           QString::number(o.ackTimeoutMillis) + QStringLiteral(" receiverQueueSize=") +
           QString::number(o.receiverQueueSize) + QStringLiteral(" consumerName=") + optText(o.consumerName) +
           QStringLiteral(" priorityLevel=") + QString::number(o.priorityLevel) +
           QStringLiteral(" negativeAckRedeliveryDelay=") + QString::number(o.negativeAckRedeliveryDelay) +
           QStringLiteral(" maxRedeliverCount=") + optNumber(o.maxRedeliverCount) +
           QStringLiteral(" deadLetterTopic=") + optText(o.deadLetterTopic) + QStringLiteral(" pullMode=") +
           QString::number(o.pullMode) + QStringLiteral(" cryptoFailureAction=") + toString(o.cryptoFailureAction) +
           QStringLiteral(" token=") + optText(o.token);
}
QString describe(const ReaderOptions &o)
{
    return QStringLiteral("readerName=") + optText(o.readerName) + QStringLiteral(" receiverQueueSize=") +
           QString::number(o.receiverQueueSize) + QStringLiteral(" messageId=\"") + o.messageId +
           QStringLiteral("\" cryptoFailureAction=") + toString(o.cryptoFailureAction) + QStringLiteral(" token=") +
           optText(o.token);
}

// A query written the way a person reads it: '&' between items, the first '=' splits, %XX decoded, no '+'
// rule (the endpoint module owns URL decoding; these are already-decoded items).
QueryItems q(const QString &query)
{
    QueryItems items;
    if (query.isEmpty())
        return items;
    const QStringList parts = query.split(QLatin1Char('&'));
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString name = eq < 0 ? part : part.left(eq);
        const QString value = eq < 0 ? QString() : part.mid(eq + 1);
        items.append(qMakePair(QUrl::fromPercentEncoding(name.toUtf8()), QUrl::fromPercentEncoding(value.toUtf8())));
    }
    return items;
}

QString joined(const QueryItems &items)
{
    QStringList parts;
    for (const auto &item : items)
        parts.append(item.first + QLatin1Char('=') + item.second);
    return parts.join(QLatin1Char('&'));
}

ProducerOptions producer(const std::function<void(ProducerOptions &)> &edit = {})
{
    ProducerOptions o;
    if (edit)
        edit(o);
    return o;
}
ConsumerOptions consumer(const std::function<void(ConsumerOptions &)> &edit = {})
{
    ConsumerOptions o;
    if (edit)
        edit(o);
    return o;
}
ReaderOptions reader(const std::function<void(ReaderOptions &)> &edit = {})
{
    ReaderOptions o;
    if (edit)
        edit(o);
    return o;
}

// The PIP-290 form of encryptionKeys: standard base64 of a JSON map.
QString clientKeys(const char *json)
{
    return QString::fromLatin1(QByteArray(json).toBase64());
}

const char *const oneClientKey = R"({"myKey":{"keyValue":"AAECAw==","metadata":{"k":"v"}}})";

QString forInput(const QString &s)
{
    return QStringLiteral("For input string: \"") + s + QLatin1Char('"');
}

} // namespace

namespace Pulsar {
// Found by argument-dependent lookup, so QCOMPARE prints the fields of a mismatch.
char *toString(const ProducerOptions &o)
{
    return qstrdup(describe(o).toUtf8().constData());
}
char *toString(const ConsumerOptions &o)
{
    return qstrdup(describe(o).toUtf8().constData());
}
char *toString(const ReaderOptions &o)
{
    return qstrdup(describe(o).toUtf8().constData());
}
} // namespace Pulsar

class Tst_options : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enumNames_data();
    void enumNames();
    void enumRejects_data();
    void enumRejects();
    void parseInt_data();
    void parseInt();
    void parseLong_data();
    void parseLong();
    void defaults_data();
    void defaults();
    void producerFromQuery_data();
    void producerFromQuery();
    void consumerFromQuery_data();
    void consumerFromQuery();
    void readerFromQuery_data();
    void readerFromQuery();
    void readerStart_data();
    void readerStart();
    void pushWindow_data();
    void pushWindow();
    void deadLetterTopic_data();
    void deadLetterTopic();
    void producerEffective_data();
    void producerEffective();
    void serverSideKeyNames_data();
    void serverSideKeyNames();
    void validate_data();
    void validate();
    void producerToQuery_data();
    void producerToQuery();
    void consumerToQuery_data();
    void consumerToQuery();
    void readerToQuery_data();
    void readerToQuery();
    void roundTrip_data();
    void roundTrip();
    void roundTripSweep();
};

// ---- enums -------------------------------------------------------------------------------------------------

void Tst_options::enumNames_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("name");

    auto row = [](const char *kind, int value, const char *name) {
        QTest::addRow("%s/%s", kind, name) << QString::fromLatin1(kind) << value << QString::fromLatin1(name);
    };
    row("HashingScheme", int(HashingScheme::JavaStringHash), "JavaStringHash");
    row("HashingScheme", int(HashingScheme::Murmur3_32Hash), "Murmur3_32Hash");
    row("MessageRoutingMode", int(MessageRoutingMode::SinglePartition), "SinglePartition");
    row("MessageRoutingMode", int(MessageRoutingMode::RoundRobinPartition), "RoundRobinPartition");
    row("MessageRoutingMode", int(MessageRoutingMode::CustomPartition), "CustomPartition");
    row("CompressionType", int(CompressionType::None), "NONE");
    row("CompressionType", int(CompressionType::LZ4), "LZ4");
    row("CompressionType", int(CompressionType::ZLib), "ZLIB");
    row("CompressionType", int(CompressionType::ZStd), "ZSTD");
    row("CompressionType", int(CompressionType::Snappy), "SNAPPY");
    row("SubscriptionType", int(SubscriptionType::Exclusive), "Exclusive");
    row("SubscriptionType", int(SubscriptionType::Shared), "Shared");
    row("SubscriptionType", int(SubscriptionType::Failover), "Failover");
    row("SubscriptionType", int(SubscriptionType::KeyShared), "Key_Shared");
    row("SubscriptionMode", int(SubscriptionMode::Durable), "Durable");
    row("SubscriptionMode", int(SubscriptionMode::NonDurable), "NonDurable");
    row("InitialPosition", int(InitialPosition::Latest), "Latest");
    row("InitialPosition", int(InitialPosition::Earliest), "Earliest");
    row("CryptoFailureAction", int(CryptoFailureAction::Fail), "FAIL");
    row("CryptoFailureAction", int(CryptoFailureAction::Discard), "DISCARD");
    row("CryptoFailureAction", int(CryptoFailureAction::Consume), "CONSUME");
}

void Tst_options::enumNames()
{
    QFETCH(QString, kind);
    QFETCH(int, value);
    QFETCH(QString, name);

    QString written;
    std::optional<int> read;
    auto asInt = [](auto v) { return v ? std::optional<int>(int(*v)) : std::nullopt; };
    if (kind == QLatin1String("HashingScheme")) {
        written = toString(HashingScheme(value));
        read = asInt(hashingSchemeFromString(name));
    } else if (kind == QLatin1String("MessageRoutingMode")) {
        written = toString(MessageRoutingMode(value));
        read = asInt(messageRoutingModeFromString(name));
    } else if (kind == QLatin1String("CompressionType")) {
        written = toString(CompressionType(value));
        read = asInt(compressionTypeFromString(name));
    } else if (kind == QLatin1String("SubscriptionType")) {
        written = toString(SubscriptionType(value));
        read = asInt(subscriptionTypeFromString(name));
    } else if (kind == QLatin1String("SubscriptionMode")) {
        written = toString(SubscriptionMode(value));
        read = asInt(subscriptionModeFromString(name));
    } else if (kind == QLatin1String("InitialPosition")) {
        written = toString(InitialPosition(value));
        read = asInt(initialPositionFromString(name));
    } else if (kind == QLatin1String("CryptoFailureAction")) {
        written = toString(CryptoFailureAction(value));
        read = asInt(cryptoFailureActionFromString(name));
    } else {
        QFAIL("unknown enum kind");
    }
    QCOMPARE(written, name);
    QVERIFY(read.has_value());
    QCOMPARE(*read, value);
}

void Tst_options::enumRejects_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");

    auto row = [](const char *kind, const QString &name) {
        QTest::addRow("%s/'%s'", kind, qPrintable(name)) << QString::fromLatin1(kind) << name;
    };
    row("HashingScheme", QStringLiteral("javaStringHash"));
    row("HashingScheme", QStringLiteral("Murmur3_32hash"));
    row("HashingScheme", QString());
    row("MessageRoutingMode", QStringLiteral("singlePartition"));
    row("MessageRoutingMode", QStringLiteral("ROUNDROBINPARTITION"));
    row("CompressionType", QStringLiteral("none"));
    row("CompressionType", QStringLiteral("Lz4"));
    row("CompressionType", QStringLiteral("zstd"));
    row("CompressionType", QStringLiteral(" LZ4"));
    row("SubscriptionType", QStringLiteral("KeyShared"));
    row("SubscriptionType", QStringLiteral("key_shared"));
    row("SubscriptionType", QStringLiteral("Key_shared"));
    row("SubscriptionType", QStringLiteral("shared"));
    row("SubscriptionType", QStringLiteral("Shared "));
    row("SubscriptionMode", QStringLiteral("durable"));
    row("SubscriptionMode", QStringLiteral("Non_Durable"));
    row("InitialPosition", QStringLiteral("latest"));
    row("InitialPosition", QStringLiteral("EARLIEST"));
    row("CryptoFailureAction", QStringLiteral("consume"));
    row("CryptoFailureAction", QStringLiteral("Fail"));
}

void Tst_options::enumRejects()
{
    QFETCH(QString, kind);
    QFETCH(QString, name);
    bool found = true;
    if (kind == QLatin1String("HashingScheme"))
        found = hashingSchemeFromString(name).has_value();
    else if (kind == QLatin1String("MessageRoutingMode"))
        found = messageRoutingModeFromString(name).has_value();
    else if (kind == QLatin1String("CompressionType"))
        found = compressionTypeFromString(name).has_value();
    else if (kind == QLatin1String("SubscriptionType"))
        found = subscriptionTypeFromString(name).has_value();
    else if (kind == QLatin1String("SubscriptionMode"))
        found = subscriptionModeFromString(name).has_value();
    else if (kind == QLatin1String("InitialPosition"))
        found = initialPositionFromString(name).has_value();
    else if (kind == QLatin1String("CryptoFailureAction"))
        found = cryptoFailureActionFromString(name).has_value();
    QVERIFY(!found);
}

// ---- numbers -----------------------------------------------------------------------------------------------

void Tst_options::parseInt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("value");

    auto good = [](const char *tag, const QString &text, int value) {
        QTest::addRow("%s", tag) << text << true << value;
    };
    auto bad = [](const char *tag, const QString &text) { QTest::addRow("%s", tag) << text << false << 0; };
    good("zero", QStringLiteral("0"), 0);
    good("one", QStringLiteral("1"), 1);
    good("plus one", QStringLiteral("+1"), 1);
    good("minus one", QStringLiteral("-1"), -1);
    good("minus zero", QStringLiteral("-0"), 0);
    good("leading zeros", QStringLiteral("007"), 7);
    good("max", QStringLiteral("2147483647"), 2147483647);
    good("min", QStringLiteral("-2147483648"), std::numeric_limits<int>::min());
    good("many leading zeros max", QStringLiteral("000002147483647"), 2147483647);
    good("arabic-indic digits", QString::fromUtf8("\u0661\u0662"), 12);
    good("fullwidth digits", QString::fromUtf8("\uFF13\uFF10"), 30);
    bad("empty", QString());
    bad("plus only", QStringLiteral("+"));
    bad("minus only", QStringLiteral("-"));
    bad("leading space", QStringLiteral(" 1"));
    bad("trailing space", QStringLiteral("1 "));
    bad("decimal", QStringLiteral("1.0"));
    bad("hex", QStringLiteral("0x10"));
    bad("exponent", QStringLiteral("1e3"));
    bad("letters", QStringLiteral("abc"));
    bad("double sign", QStringLiteral("--1"));
    bad("plus minus", QStringLiteral("+-1"));
    bad("underscore", QStringLiteral("1_000"));
    bad("overflow by one", QStringLiteral("2147483648"));
    bad("underflow by one", QStringLiteral("-2147483649"));
    bad("long value", QStringLiteral("99999999999"));
    bad("superscript two", QString::fromUtf8("\u00B2"));
    bad("comma grouping", QStringLiteral("1,000"));
}

void Tst_options::parseInt()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, value);
    const Result<int> r = parseJavaInt(text);
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(*r, value);
    } else {
        QCOMPARE(r.error().code, ErrorCode::InvalidQueryParams);
        QCOMPARE(r.error().message, forInput(text));
    }
}

void Tst_options::parseLong_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("value");
    QTest::addRow("int overflow is fine") << QStringLiteral("2147483648") << true << qint64(2147483648LL);
    QTest::addRow("max") << QStringLiteral("9223372036854775807") << true << std::numeric_limits<qint64>::max();
    QTest::addRow("min") << QStringLiteral("-9223372036854775808") << true << std::numeric_limits<qint64>::min();
    QTest::addRow("plus") << QStringLiteral("+42") << true << qint64(42);
    QTest::addRow("overflow") << QStringLiteral("9223372036854775808") << false << qint64(0);
    QTest::addRow("underflow") << QStringLiteral("-9223372036854775809") << false << qint64(0);
    QTest::addRow("empty") << QString() << false << qint64(0);
    QTest::addRow("suffix L") << QStringLiteral("1L") << false << qint64(0);
}

void Tst_options::parseLong()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, value);
    const Result<qint64> r = parseJavaLong(text);
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(*r, value);
    else
        QCOMPARE(r.error().message, forInput(text));
}

// ---- defaults ----------------------------------------------------------------------------------------------

void Tst_options::defaults_data()
{
    QTest::addColumn<QString>("actual");
    QTest::addColumn<QString>("expected");

    // Both a default-constructed value and the result of parsing an empty query must carry Pulsar's defaults.
    const ProducerOptions constructed;
    const ProducerOptions parsed = ProducerOptions::fromQuery({}).value();
    for (const ProducerOptions *p : {&constructed, &parsed}) {
        const char *src = p == &constructed ? "constructed" : "parsed";
        QTest::addRow("producer %s producerName", src) << optText(p->producerName) << QStringLiteral("<unset>");
        QTest::addRow("producer %s initialSequenceId", src)
            << optNumber(p->initialSequenceId) << QStringLiteral("<unset>");
        QTest::addRow("producer %s hashingScheme", src)
            << toString(p->hashingScheme) << QStringLiteral("JavaStringHash");
        QTest::addRow("producer %s sendTimeoutMillis", src)
            << QString::number(p->sendTimeoutMillis) << QStringLiteral("30000");
        QTest::addRow("producer %s batchingEnabled", src) << QString::number(p->batchingEnabled) << QStringLiteral("0");
        QTest::addRow("producer %s batchingMaxMessages", src)
            << QString::number(p->batchingMaxMessages) << QStringLiteral("1000");
        QTest::addRow("producer %s maxPendingMessages", src)
            << QString::number(p->maxPendingMessages) << QStringLiteral("0");
        QTest::addRow("producer %s batchingMaxPublishDelay", src)
            << QString::number(p->batchingMaxPublishDelay) << QStringLiteral("1");
        QTest::addRow("producer %s messageRoutingMode", src)
            << toString(p->messageRoutingMode) << QStringLiteral("SinglePartition");
        QTest::addRow("producer %s compressionType", src) << toString(p->compressionType) << QStringLiteral("NONE");
        QTest::addRow("producer %s encryptionKeys", src) << optText(p->encryptionKeys) << QStringLiteral("<unset>");
        QTest::addRow("producer %s token", src) << optText(p->token) << QStringLiteral("<unset>");
    }

    const ConsumerOptions cConstructed;
    const ConsumerOptions cParsed = ConsumerOptions::fromQuery({}).value();
    for (const ConsumerOptions *c : {&cConstructed, &cParsed}) {
        const char *src = c == &cConstructed ? "constructed" : "parsed";
        QTest::addRow("consumer %s subscriptionType", src)
            << toString(c->subscriptionType) << QStringLiteral("Exclusive");
        QTest::addRow("consumer %s subscriptionMode", src)
            << toString(c->subscriptionMode) << QStringLiteral("Durable");
        QTest::addRow("consumer %s subscriptionInitialPosition", src)
            << toString(c->subscriptionInitialPosition) << QStringLiteral("Latest");
        QTest::addRow("consumer %s ackTimeoutMillis", src)
            << QString::number(c->ackTimeoutMillis) << QStringLiteral("0");
        QTest::addRow("consumer %s receiverQueueSize", src)
            << QString::number(c->receiverQueueSize) << QStringLiteral("1000");
        QTest::addRow("consumer %s consumerName", src) << optText(c->consumerName) << QStringLiteral("<unset>");
        QTest::addRow("consumer %s priorityLevel", src) << QString::number(c->priorityLevel) << QStringLiteral("0");
        QTest::addRow("consumer %s negativeAckRedeliveryDelay", src)
            << QString::number(c->negativeAckRedeliveryDelay) << QStringLiteral("60000");
        QTest::addRow("consumer %s maxRedeliverCount", src)
            << optNumber(c->maxRedeliverCount) << QStringLiteral("<unset>");
        QTest::addRow("consumer %s deadLetterTopic", src) << optText(c->deadLetterTopic) << QStringLiteral("<unset>");
        QTest::addRow("consumer %s pullMode", src) << QString::number(c->pullMode) << QStringLiteral("0");
        QTest::addRow("consumer %s cryptoFailureAction", src)
            << toString(c->cryptoFailureAction) << QStringLiteral("FAIL");
        QTest::addRow("consumer %s token", src) << optText(c->token) << QStringLiteral("<unset>");
        QTest::addRow("consumer %s pushWindow", src) << QString::number(c->pushWindow()) << QStringLiteral("1000");
    }

    const ReaderOptions rConstructed;
    const ReaderOptions rParsed = ReaderOptions::fromQuery({}).value();
    for (const ReaderOptions *r : {&rConstructed, &rParsed}) {
        const char *src = r == &rConstructed ? "constructed" : "parsed";
        QTest::addRow("reader %s readerName", src) << optText(r->readerName) << QStringLiteral("<unset>");
        QTest::addRow("reader %s receiverQueueSize", src)
            << QString::number(r->receiverQueueSize) << QStringLiteral("1000");
        QTest::addRow("reader %s messageId", src) << r->messageId << QStringLiteral("latest");
        QTest::addRow("reader %s start", src)
            << QString::number(int(r->start())) << QString::number(int(ReaderStart::Latest));
        QTest::addRow("reader %s cryptoFailureAction", src)
            << toString(r->cryptoFailureAction) << QStringLiteral("FAIL");
        QTest::addRow("reader %s token", src) << optText(r->token) << QStringLiteral("<unset>");
    }
}

void Tst_options::defaults()
{
    QFETCH(QString, actual);
    QFETCH(QString, expected);
    QCOMPARE(actual, expected);
}

// ---- parsing -----------------------------------------------------------------------------------------------

void Tst_options::producerFromQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<ProducerOptions>("expected");
    QTest::addColumn<QString>("error"); // empty: must parse

    auto ok = [](const char *tag, const QString &query, const ProducerOptions &o) {
        QTest::addRow("%s", tag) << query << o << QString();
    };
    auto fail = [](const char *tag, const QString &query, const QString &error) {
        QTest::addRow("%s", tag) << query << ProducerOptions() << error;
    };

    ok("empty", QString(), producer());
    ok("producerName", QStringLiteral("producerName=p1"),
       producer([](auto &o) { o.producerName = QStringLiteral("p1"); }));
    ok("producerName with nbsp is not blank", QStringLiteral("producerName=%C2%A0"),
       producer([](auto &o) { o.producerName = QString(QChar(0x00A0)); }));
    fail("producerName empty", QStringLiteral("producerName="), QStringLiteral("producerName cannot be blank"));
    fail("producerName no value", QStringLiteral("producerName"), QStringLiteral("producerName cannot be blank"));
    fail("producerName spaces", QStringLiteral("producerName=%20%09"), QStringLiteral("producerName cannot be blank"));
    fail("producerName em space", QStringLiteral("producerName=%E2%80%83"),
         QStringLiteral("producerName cannot be blank"));
    ok("initialSequenceId", QStringLiteral("initialSequenceId=42"),
       producer([](auto &o) { o.initialSequenceId = 42; }));
    ok("initialSequenceId negative", QStringLiteral("initialSequenceId=-1"),
       producer([](auto &o) { o.initialSequenceId = -1; }));
    ok("initialSequenceId zero is set", QStringLiteral("initialSequenceId=0"),
       producer([](auto &o) { o.initialSequenceId = 0; }));
    ok("initialSequenceId long max", QStringLiteral("initialSequenceId=9223372036854775807"),
       producer([](auto &o) { o.initialSequenceId = std::numeric_limits<qint64>::max(); }));
    fail("initialSequenceId overflow", QStringLiteral("initialSequenceId=9223372036854775808"),
         forInput(QStringLiteral("9223372036854775808")));
    fail("initialSequenceId word", QStringLiteral("initialSequenceId=abc"), forInput(QStringLiteral("abc")));
    ok("hashingScheme Murmur", QStringLiteral("hashingScheme=Murmur3_32Hash"),
       producer([](auto &o) { o.hashingScheme = HashingScheme::Murmur3_32Hash; }));
    ok("hashingScheme Java", QStringLiteral("hashingScheme=JavaStringHash"), producer());
    fail("hashingScheme lower case", QStringLiteral("hashingScheme=murmur3_32hash"),
         QStringLiteral("No enum constant org.apache.pulsar.client.api.HashingScheme.murmur3_32hash"));
    fail("hashingScheme empty", QStringLiteral("hashingScheme="),
         QStringLiteral("No enum constant org.apache.pulsar.client.api.HashingScheme."));
    ok("sendTimeoutMillis zero", QStringLiteral("sendTimeoutMillis=0"),
       producer([](auto &o) { o.sendTimeoutMillis = 0; }));
    ok("sendTimeoutMillis plus", QStringLiteral("sendTimeoutMillis=%2B5000"),
       producer([](auto &o) { o.sendTimeoutMillis = 5000; }));
    fail("sendTimeoutMillis negative", QStringLiteral("sendTimeoutMillis=-1"),
         QStringLiteral("sendTimeout needs to be >= 0"));
    fail("sendTimeoutMillis decimal", QStringLiteral("sendTimeoutMillis=1.0"), forInput(QStringLiteral("1.0")));
    fail("sendTimeoutMillis space", QStringLiteral("sendTimeoutMillis=%201"), forInput(QStringLiteral(" 1")));
    fail("sendTimeoutMillis empty", QStringLiteral("sendTimeoutMillis="), forInput(QString()));
    fail("sendTimeoutMillis overflow", QStringLiteral("sendTimeoutMillis=2147483648"),
         forInput(QStringLiteral("2147483648")));
    ok("batchingEnabled true", QStringLiteral("batchingEnabled=true"),
       producer([](auto &o) { o.batchingEnabled = true; }));
    ok("batchingEnabled TRUE", QStringLiteral("batchingEnabled=TRUE"),
       producer([](auto &o) { o.batchingEnabled = true; }));
    ok("batchingEnabled tRuE", QStringLiteral("batchingEnabled=tRuE"),
       producer([](auto &o) { o.batchingEnabled = true; }));
    ok("batchingEnabled 1 is false", QStringLiteral("batchingEnabled=1"), producer());
    ok("batchingEnabled yes is false", QStringLiteral("batchingEnabled=yes"), producer());
    ok("batchingEnabled empty is false", QStringLiteral("batchingEnabled="), producer());
    ok("batchingEnabled padded is false", QStringLiteral("batchingEnabled=true%20"), producer());
    ok("batching parameters with batching",
       QStringLiteral("batchingEnabled=true&batchingMaxMessages=10&maxPendingMessages=5&batchingMaxPublishDelay=20"),
       producer([](auto &o) {
           o.batchingEnabled = true;
           o.batchingMaxMessages = 10;
           o.maxPendingMessages = 5;
           o.batchingMaxPublishDelay = 20;
       }));
    ok("batchingMaxMessages negative is accepted", QStringLiteral("batchingEnabled=true&batchingMaxMessages=-5"),
       producer([](auto &o) {
           o.batchingEnabled = true;
           o.batchingMaxMessages = -5;
       }));
    fail("batchingMaxMessages word with batching", QStringLiteral("batchingEnabled=true&batchingMaxMessages=x"),
         forInput(QStringLiteral("x")));
    fail("maxPendingMessages negative with batching", QStringLiteral("batchingEnabled=true&maxPendingMessages=-1"),
         QStringLiteral("maxPendingMessages needs to be >= 0"));
    fail("batchingMaxPublishDelay zero with batching", QStringLiteral("batchingEnabled=true&batchingMaxPublishDelay=0"),
         QStringLiteral("configured value for batch delay must be at least 1ms"));
    fail("batchingMaxPublishDelay word with batching",
         QStringLiteral("batchingEnabled=true&batchingMaxPublishDelay=1ms"), forInput(QStringLiteral("1ms")));
    ok("batching parameters without batching are kept", QStringLiteral("batchingMaxMessages=10&maxPendingMessages=5"),
       producer([](auto &o) {
           o.batchingMaxMessages = 10;
           o.maxPendingMessages = 5;
       }));
    ok("bad batching parameters without batching are ignored",
       QStringLiteral("batchingMaxMessages=x&maxPendingMessages=-1&batchingMaxPublishDelay=0"), producer());
    ok("bad batching parameters with batching=false are ignored",
       QStringLiteral("batchingEnabled=false&maxPendingMessages=-1"), producer());
    ok("routing RoundRobin", QStringLiteral("messageRoutingMode=RoundRobinPartition"),
       producer([](auto &o) { o.messageRoutingMode = MessageRoutingMode::RoundRobinPartition; }));
    ok("routing Custom kept", QStringLiteral("messageRoutingMode=CustomPartition"),
       producer([](auto &o) { o.messageRoutingMode = MessageRoutingMode::CustomPartition; }));
    fail("routing lower case", QStringLiteral("messageRoutingMode=roundrobinpartition"),
         QStringLiteral("Invalid messageRoutingMode roundrobinpartition"));
    fail("routing empty", QStringLiteral("messageRoutingMode="), QStringLiteral("Invalid messageRoutingMode "));
    ok("compression LZ4", QStringLiteral("compressionType=LZ4"),
       producer([](auto &o) { o.compressionType = CompressionType::LZ4; }));
    ok("compression ZLIB", QStringLiteral("compressionType=ZLIB"),
       producer([](auto &o) { o.compressionType = CompressionType::ZLib; }));
    ok("compression ZSTD", QStringLiteral("compressionType=ZSTD"),
       producer([](auto &o) { o.compressionType = CompressionType::ZStd; }));
    ok("compression SNAPPY", QStringLiteral("compressionType=SNAPPY"),
       producer([](auto &o) { o.compressionType = CompressionType::Snappy; }));
    ok("compression NONE", QStringLiteral("compressionType=NONE"), producer());
    fail("compression lower case", QStringLiteral("compressionType=lz4"),
         QStringLiteral("Invalid compressionType lz4"));
    fail("compression GZIP", QStringLiteral("compressionType=GZIP"), QStringLiteral("Invalid compressionType GZIP"));
    ok("token", QStringLiteral("token=abc.def"), producer([](auto &o) { o.token = QStringLiteral("abc.def"); }));
    ok("token empty is set", QStringLiteral("token="), producer([](auto &o) { o.token = QString(); }));
    ok("server-side keys kept raw", QStringLiteral("encryptionKeys=a,b"),
       producer([](auto &o) { o.encryptionKeys = QStringLiteral("a,b"); }));
    ok("server-side blank key is the server's business", QStringLiteral("encryptionKeys=a,,b"),
       producer([](auto &o) { o.encryptionKeys = QStringLiteral("a,,b"); }));
    // Client-side encryption never reads compressionType or the batching parameters.
    ok("client-side keys ignore bad compression",
       QStringLiteral("encryptionKeys=") + clientKeys(oneClientKey) + QStringLiteral("&compressionType=BAD"),
       producer([](auto &o) { o.encryptionKeys = clientKeys(oneClientKey); }));
    ok("client-side keys ignore bad batching",
       QStringLiteral("batchingEnabled=true&maxPendingMessages=-1&encryptionKeys=") + clientKeys(oneClientKey),
       producer([](auto &o) {
           o.batchingEnabled = true;
           o.encryptionKeys = clientKeys(oneClientKey);
       }));
    ok("client-side keys keep valid compression",
       QStringLiteral("compressionType=ZSTD&encryptionKeys=") + clientKeys(oneClientKey), producer([](auto &o) {
           o.compressionType = CompressionType::ZStd;
           o.encryptionKeys = clientKeys(oneClientKey);
       }));
    fail("client-side later null value",
         QStringLiteral("encryptionKeys=") + clientKeys(R"({"a":{"keyValue":"AA=="},"b":null})"),
         QStringLiteral("Empty param encryptionKeys.value"));
    fail("client-side later key without keyValue",
         QStringLiteral("encryptionKeys=") + clientKeys(R"({"z":{"keyValue":"AA=="},"a":{"metadata":{}}})"),
         QStringLiteral("Empty param encryptionKeys.value.keyValue"));
    fail("client-side blank key name",
         QStringLiteral("encryptionKeys=") + clientKeys(R"({"a":{"keyValue":"AA=="}," ":{"keyValue":"AA=="}})"),
         QStringLiteral("Empty param encryptionKeys.key"));
    fail("client-side first key blank", QStringLiteral("encryptionKeys=") + clientKeys(R"({"":{"keyValue":"AA=="}})"),
         QStringLiteral("Empty param encryptionKeys.key"));
    // The first entry lacks keyValue, so Pulsar takes the value as server-side key names; then a bad
    // compressionType is an error again.
    fail("first key without keyValue is server-side",
         QStringLiteral("encryptionKeys=") + clientKeys(R"({"a":{}})") + QStringLiteral("&compressionType=BAD"),
         QStringLiteral("Invalid compressionType BAD"));

    // Order of checks: Pulsar's, not the query's.
    fail("order producerName before initialSequenceId", QStringLiteral("initialSequenceId=x&producerName="),
         QStringLiteral("producerName cannot be blank"));
    fail("order initialSequenceId before hashingScheme", QStringLiteral("hashingScheme=X&initialSequenceId=y"),
         forInput(QStringLiteral("y")));
    fail("order hashingScheme before sendTimeout", QStringLiteral("sendTimeoutMillis=-1&hashingScheme=X"),
         QStringLiteral("No enum constant org.apache.pulsar.client.api.HashingScheme.X"));
    fail("order sendTimeout before routing", QStringLiteral("messageRoutingMode=X&sendTimeoutMillis=-1"),
         QStringLiteral("sendTimeout needs to be >= 0"));
    fail("order routing before batching",
         QStringLiteral("batchingEnabled=true&maxPendingMessages=-1&messageRoutingMode=X"),
         QStringLiteral("Invalid messageRoutingMode X"));
    fail("order batchingMaxMessages before maxPendingMessages",
         QStringLiteral("batchingEnabled=true&maxPendingMessages=-1&batchingMaxMessages=q"),
         forInput(QStringLiteral("q")));
    fail("order maxPendingMessages before delay",
         QStringLiteral("batchingEnabled=true&batchingMaxPublishDelay=0&maxPendingMessages=-1"),
         QStringLiteral("maxPendingMessages needs to be >= 0"));
    fail("order batching before compression",
         QStringLiteral("compressionType=X&batchingEnabled=true&batchingMaxPublishDelay=0"),
         QStringLiteral("configured value for batch delay must be at least 1ms"));
    fail("order client-side keys before compression",
         QStringLiteral("compressionType=X&encryptionKeys=") + clientKeys(R"({"a":{"keyValue":"AA=="},"b":null})"),
         QStringLiteral("Empty param encryptionKeys.value"));

    // First value wins; names are case-sensitive; unknown names are ignored.
    ok("first value wins", QStringLiteral("sendTimeoutMillis=5&sendTimeoutMillis=x"),
       producer([](auto &o) { o.sendTimeoutMillis = 5; }));
    fail("first value wins even when bad", QStringLiteral("sendTimeoutMillis=x&sendTimeoutMillis=5"),
         forInput(QStringLiteral("x")));
    ok("first enum wins", QStringLiteral("compressionType=LZ4&compressionType=bad"),
       producer([](auto &o) { o.compressionType = CompressionType::LZ4; }));
    ok("names are case-sensitive", QStringLiteral("SendTimeoutMillis=x&CompressionType=bad&BatchingEnabled=true"),
       producer());
    ok("unknown names ignored", QStringLiteral("foo=bar&subscriptionType=Nope&receiverQueueSize=x"), producer());
}

void Tst_options::producerFromQuery()
{
    QFETCH(QString, query);
    QFETCH(ProducerOptions, expected);
    QFETCH(QString, error);
    const Result<ProducerOptions> r = ProducerOptions::fromQuery(q(query));
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidQueryParams);
        QCOMPARE(r.error().message, error);
    }
}

void Tst_options::consumerFromQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<ConsumerOptions>("expected");
    QTest::addColumn<QString>("error");

    auto ok = [](const char *tag, const QString &query, const ConsumerOptions &o) {
        QTest::addRow("%s", tag) << query << o << QString();
    };
    auto fail = [](const char *tag, const QString &query, const QString &error) {
        QTest::addRow("%s", tag) << query << ConsumerOptions() << error;
    };

    ok("empty", QString(), consumer());
    ok("type Shared", QStringLiteral("subscriptionType=Shared"),
       consumer([](auto &o) { o.subscriptionType = SubscriptionType::Shared; }));
    ok("type Failover", QStringLiteral("subscriptionType=Failover"),
       consumer([](auto &o) { o.subscriptionType = SubscriptionType::Failover; }));
    ok("type Key_Shared", QStringLiteral("subscriptionType=Key_Shared"),
       consumer([](auto &o) { o.subscriptionType = SubscriptionType::KeyShared; }));
    ok("type Exclusive", QStringLiteral("subscriptionType=Exclusive"), consumer());
    fail("type Foo", QStringLiteral("subscriptionType=Foo"), QStringLiteral("Invalid subscriptionType Foo"));
    fail("type KeyShared", QStringLiteral("subscriptionType=KeyShared"),
         QStringLiteral("Invalid subscriptionType KeyShared"));
    fail("type lower case", QStringLiteral("subscriptionType=shared"),
         QStringLiteral("Invalid subscriptionType shared"));
    fail("type empty", QStringLiteral("subscriptionType="), QStringLiteral("Invalid subscriptionType "));
    ok("mode NonDurable", QStringLiteral("subscriptionMode=NonDurable"),
       consumer([](auto &o) { o.subscriptionMode = SubscriptionMode::NonDurable; }));
    ok("mode Durable", QStringLiteral("subscriptionMode=Durable"), consumer());
    fail("mode X", QStringLiteral("subscriptionMode=X"), QStringLiteral("Invalid subscriptionMode X"));
    fail("mode lower case", QStringLiteral("subscriptionMode=durable"),
         QStringLiteral("Invalid subscriptionMode durable"));
    ok("position Earliest", QStringLiteral("subscriptionInitialPosition=Earliest"),
       consumer([](auto &o) { o.subscriptionInitialPosition = InitialPosition::Earliest; }));
    ok("position Latest", QStringLiteral("subscriptionInitialPosition=Latest"), consumer());
    fail("position lower case", QStringLiteral("subscriptionInitialPosition=earliest"),
         QStringLiteral("Invalid subscriptionInitialPosition earliest"));
    fail("position X", QStringLiteral("subscriptionInitialPosition=X"),
         QStringLiteral("Invalid subscriptionInitialPosition X"));
    ok("ackTimeout zero", QStringLiteral("ackTimeoutMillis=0"), consumer());
    ok("ackTimeout 1000", QStringLiteral("ackTimeoutMillis=1000"),
       consumer([](auto &o) { o.ackTimeoutMillis = 1000; }));
    ok("ackTimeout large", QStringLiteral("ackTimeoutMillis=2147483647"),
       consumer([](auto &o) { o.ackTimeoutMillis = 2147483647; }));
    fail("ackTimeout 999", QStringLiteral("ackTimeoutMillis=999"),
         QStringLiteral("Ack timeout should be greater than 1000 ms"));
    fail("ackTimeout 1", QStringLiteral("ackTimeoutMillis=1"),
         QStringLiteral("Ack timeout should be greater than 1000 ms"));
    fail("ackTimeout negative", QStringLiteral("ackTimeoutMillis=-1"),
         QStringLiteral("Ack timeout should be greater than 1000 ms"));
    fail("ackTimeout word", QStringLiteral("ackTimeoutMillis=1s"), forInput(QStringLiteral("1s")));
    ok("receiverQueueSize 0", QStringLiteral("receiverQueueSize=0"),
       consumer([](auto &o) { o.receiverQueueSize = 0; }));
    ok("receiverQueueSize 1001 kept as asked", QStringLiteral("receiverQueueSize=1001"),
       consumer([](auto &o) { o.receiverQueueSize = 1001; }));
    ok("receiverQueueSize int max", QStringLiteral("receiverQueueSize=2147483647"),
       consumer([](auto &o) { o.receiverQueueSize = 2147483647; }));
    fail("receiverQueueSize negative", QStringLiteral("receiverQueueSize=-1"),
         QStringLiteral("receiverQueueSize needs to be >= 0"));
    fail("receiverQueueSize word", QStringLiteral("receiverQueueSize=x"), forInput(QStringLiteral("x")));
    fail("receiverQueueSize empty", QStringLiteral("receiverQueueSize="), forInput(QString()));
    ok("consumerName", QStringLiteral("consumerName=c1"),
       consumer([](auto &o) { o.consumerName = QStringLiteral("c1"); }));
    fail("consumerName empty", QStringLiteral("consumerName="), QStringLiteral("consumerName cannot be blank"));
    fail("consumerName tab", QStringLiteral("consumerName=%09"), QStringLiteral("consumerName cannot be blank"));
    // Java's Character.isWhitespace counts U+001C..U+001F as whitespace, U+00A0 not.
    fail("consumerName unit separator", QStringLiteral("consumerName=%1F%1C"),
         QStringLiteral("consumerName cannot be blank"));
    ok("consumerName nbsp", QStringLiteral("consumerName=%C2%A0"),
       consumer([](auto &o) { o.consumerName = QString(QChar(0x00A0)); }));
    ok("priorityLevel", QStringLiteral("priorityLevel=5"), consumer([](auto &o) { o.priorityLevel = 5; }));
    fail("priorityLevel negative", QStringLiteral("priorityLevel=-1"),
         QStringLiteral("priorityLevel needs to be >= 0"));
    ok("negativeAck zero", QStringLiteral("negativeAckRedeliveryDelay=0"),
       consumer([](auto &o) { o.negativeAckRedeliveryDelay = 0; }));
    ok("negativeAck 1000", QStringLiteral("negativeAckRedeliveryDelay=1000"),
       consumer([](auto &o) { o.negativeAckRedeliveryDelay = 1000; }));
    fail("negativeAck negative", QStringLiteral("negativeAckRedeliveryDelay=-1"),
         QStringLiteral("redeliveryDelay needs to be >= 0"));
    ok("maxRedeliverCount", QStringLiteral("maxRedeliverCount=3"), consumer([](auto &o) { o.maxRedeliverCount = 3; }));
    ok("maxRedeliverCount and topic", QStringLiteral("maxRedeliverCount=3&deadLetterTopic=my-dlq"),
       consumer([](auto &o) {
           o.maxRedeliverCount = 3;
           o.deadLetterTopic = QStringLiteral("my-dlq");
       }));
    fail("deadLetterTopic alone", QStringLiteral("deadLetterTopic=my-dlq"),
         QStringLiteral("MaxRedeliverCount must be > 0."));
    fail("maxRedeliverCount zero", QStringLiteral("maxRedeliverCount=0"),
         QStringLiteral("MaxRedeliverCount must be > 0."));
    fail("maxRedeliverCount negative", QStringLiteral("maxRedeliverCount=-2&deadLetterTopic=x"),
         QStringLiteral("MaxRedeliverCount must be > 0."));
    fail("maxRedeliverCount word", QStringLiteral("maxRedeliverCount=three"), forInput(QStringLiteral("three")));
    ok("pullMode true", QStringLiteral("pullMode=true"), consumer([](auto &o) { o.pullMode = true; }));
    ok("pullMode True", QStringLiteral("pullMode=True"), consumer([](auto &o) { o.pullMode = true; }));
    ok("pullMode 1 is false", QStringLiteral("pullMode=1"), consumer());
    ok("crypto CONSUME", QStringLiteral("cryptoFailureAction=CONSUME"),
       consumer([](auto &o) { o.cryptoFailureAction = CryptoFailureAction::Consume; }));
    ok("crypto DISCARD", QStringLiteral("cryptoFailureAction=DISCARD"),
       consumer([](auto &o) { o.cryptoFailureAction = CryptoFailureAction::Discard; }));
    ok("crypto FAIL", QStringLiteral("cryptoFailureAction=FAIL"), consumer());
    ok("crypto lower case ignored", QStringLiteral("cryptoFailureAction=consume"), consumer());
    ok("crypto empty ignored", QStringLiteral("cryptoFailureAction="), consumer());
    ok("token", QStringLiteral("token=t"), consumer([](auto &o) { o.token = QStringLiteral("t"); }));

    fail("order ackTimeout before type", QStringLiteral("subscriptionType=Foo&ackTimeoutMillis=5"),
         QStringLiteral("Ack timeout should be greater than 1000 ms"));
    fail("order type before mode", QStringLiteral("subscriptionMode=Bar&subscriptionType=Foo"),
         QStringLiteral("Invalid subscriptionType Foo"));
    fail("order mode before position", QStringLiteral("subscriptionInitialPosition=Baz&subscriptionMode=Bar"),
         QStringLiteral("Invalid subscriptionMode Bar"));
    fail("order position before queue", QStringLiteral("receiverQueueSize=-1&subscriptionInitialPosition=Baz"),
         QStringLiteral("Invalid subscriptionInitialPosition Baz"));
    fail("order queue before name", QStringLiteral("consumerName=&receiverQueueSize=-1"),
         QStringLiteral("receiverQueueSize needs to be >= 0"));
    fail("order name before priority", QStringLiteral("priorityLevel=-1&consumerName="),
         QStringLiteral("consumerName cannot be blank"));
    fail("order priority before negativeAck", QStringLiteral("negativeAckRedeliveryDelay=-1&priorityLevel=-1"),
         QStringLiteral("priorityLevel needs to be >= 0"));
    fail("order negativeAck before dead letter", QStringLiteral("deadLetterTopic=x&negativeAckRedeliveryDelay=-1"),
         QStringLiteral("redeliveryDelay needs to be >= 0"));
    fail("pullMode never an error", QStringLiteral("pullMode=maybe&deadLetterTopic=x"),
         QStringLiteral("MaxRedeliverCount must be > 0."));

    ok("first value wins", QStringLiteral("subscriptionType=Shared&subscriptionType=Foo"),
       consumer([](auto &o) { o.subscriptionType = SubscriptionType::Shared; }));
    fail("first value wins even when bad", QStringLiteral("subscriptionType=Foo&subscriptionType=Shared"),
         QStringLiteral("Invalid subscriptionType Foo"));
    ok("names are case-sensitive", QStringLiteral("SubscriptionType=Foo&receiverqueuesize=x&PullMode=true"),
       consumer());
    ok("producer names ignored", QStringLiteral("sendTimeoutMillis=x&compressionType=bad"), consumer());
}

void Tst_options::consumerFromQuery()
{
    QFETCH(QString, query);
    QFETCH(ConsumerOptions, expected);
    QFETCH(QString, error);
    const Result<ConsumerOptions> r = ConsumerOptions::fromQuery(q(query));
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidQueryParams);
        QCOMPARE(r.error().message, error);
    }
}

void Tst_options::readerFromQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<ReaderOptions>("expected");
    QTest::addColumn<QString>("error");

    auto ok = [](const char *tag, const QString &query, const ReaderOptions &o) {
        QTest::addRow("%s", tag) << query << o << QString();
    };
    auto fail = [](const char *tag, const QString &query, const QString &error) {
        QTest::addRow("%s", tag) << query << ReaderOptions() << error;
    };
    ok("empty", QString(), reader());
    ok("receiverQueueSize 0", QStringLiteral("receiverQueueSize=0"), reader([](auto &o) { o.receiverQueueSize = 0; }));
    ok("receiverQueueSize 5", QStringLiteral("receiverQueueSize=5"), reader([](auto &o) { o.receiverQueueSize = 5; }));
    ok("receiverQueueSize 5000", QStringLiteral("receiverQueueSize=5000"),
       reader([](auto &o) { o.receiverQueueSize = 5000; }));
    fail("receiverQueueSize word", QStringLiteral("receiverQueueSize=x"), forInput(QStringLiteral("x")));
    fail("receiverQueueSize empty", QStringLiteral("receiverQueueSize="), forInput(QString()));
    fail("receiverQueueSize negative", QStringLiteral("receiverQueueSize=-1"),
         QStringLiteral("receiverQueueSize needs to be >= 0"));
    ok("messageId earliest", QStringLiteral("messageId=earliest"),
       reader([](auto &o) { o.messageId = QStringLiteral("earliest"); }));
    ok("messageId empty kept", QStringLiteral("messageId="), reader([](auto &o) { o.messageId = QString(); }));
    ok("messageId base64 kept raw", QStringLiteral("messageId=CAEQAg=="),
       reader([](auto &o) { o.messageId = QStringLiteral("CAEQAg=="); }));
    ok("messageId garbage kept raw", QStringLiteral("messageId=%25%25%25"),
       reader([](auto &o) { o.messageId = QStringLiteral("%%%"); }));
    ok("readerName", QStringLiteral("readerName=r1"), reader([](auto &o) { o.readerName = QStringLiteral("r1"); }));
    ok("readerName empty is allowed", QStringLiteral("readerName="), reader([](auto &o) { o.readerName = QString(); }));
    ok("crypto CONSUME", QStringLiteral("cryptoFailureAction=CONSUME"),
       reader([](auto &o) { o.cryptoFailureAction = CryptoFailureAction::Consume; }));
    ok("crypto bad ignored", QStringLiteral("cryptoFailureAction=Consume"), reader());
    ok("token", QStringLiteral("token=t"), reader([](auto &o) { o.token = QStringLiteral("t"); }));
    ok("first messageId wins", QStringLiteral("messageId=earliest&messageId=latest"),
       reader([](auto &o) { o.messageId = QStringLiteral("earliest"); }));
    ok("consumer names ignored", QStringLiteral("subscriptionType=Foo&ackTimeoutMillis=1"), reader());
}

void Tst_options::readerFromQuery()
{
    QFETCH(QString, query);
    QFETCH(ReaderOptions, expected);
    QFETCH(QString, error);
    const Result<ReaderOptions> r = ReaderOptions::fromQuery(q(query));
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.ok());
        // The reader answers 500 for these, not 400 (see ReaderOptions).
        QCOMPARE(r.error().code, ErrorCode::InvalidPath);
        QCOMPARE(r.error().message, error);
    }
}

void Tst_options::readerStart_data()
{
    QTest::addColumn<QString>("messageId");
    QTest::addColumn<ReaderStart>("start");
    QTest::addRow("latest") << QStringLiteral("latest") << ReaderStart::Latest;
    QTest::addRow("earliest") << QStringLiteral("earliest") << ReaderStart::Earliest;
    QTest::addRow("empty") << QString() << ReaderStart::Latest;
    QTest::addRow("blank") << QStringLiteral("  \t") << ReaderStart::Latest;
    QTest::addRow("Earliest is an id") << QStringLiteral("Earliest") << ReaderStart::MessageId;
    QTest::addRow("LATEST is an id") << QStringLiteral("LATEST") << ReaderStart::MessageId;
    QTest::addRow("padded earliest is an id") << QStringLiteral(" earliest") << ReaderStart::MessageId;
    QTest::addRow("base64") << QStringLiteral("CAEQAg==") << ReaderStart::MessageId;
}

void Tst_options::readerStart()
{
    QFETCH(QString, messageId);
    QFETCH(ReaderStart, start);
    ReaderOptions o;
    o.messageId = messageId;
    QCOMPARE(o.start(), start);
}

// ---- derived values ----------------------------------------------------------------------------------------

void Tst_options::pushWindow_data()
{
    QTest::addColumn<int>("receiverQueueSize");
    QTest::addColumn<bool>("pullMode");
    QTest::addColumn<int>("effective");
    QTest::addColumn<int>("consumerWindow");
    QTest::addColumn<int>("readerWindow");
    QTest::addRow("default") << 1000 << false << 1000 << 1000 << 1000;
    QTest::addRow("1001 capped") << 1001 << false << 1000 << 1000 << 1000;
    QTest::addRow("int max capped") << 2147483647 << false << 1000 << 1000 << 1000;
    QTest::addRow("999") << 999 << false << 999 << 999 << 999;
    QTest::addRow("one") << 1 << false << 1 << 1 << 1;
    QTest::addRow("zero is window one") << 0 << false << 0 << 1 << 1;
    QTest::addRow("pull mode") << 500 << true << 500 << 0 << 500;
    QTest::addRow("pull mode zero") << 0 << true << 0 << 0 << 1;
    QTest::addRow("pull mode capped") << 5000 << true << 1000 << 0 << 1000;
}

void Tst_options::pushWindow()
{
    QFETCH(int, receiverQueueSize);
    QFETCH(bool, pullMode);
    QFETCH(int, effective);
    QFETCH(int, consumerWindow);
    QFETCH(int, readerWindow);
    ConsumerOptions c;
    c.receiverQueueSize = receiverQueueSize;
    c.pullMode = pullMode;
    QCOMPARE(c.effectiveReceiverQueueSize(), effective);
    QCOMPARE(c.pushWindow(), consumerWindow);
    ReaderOptions r;
    r.receiverQueueSize = receiverQueueSize;
    QCOMPARE(r.effectiveReceiverQueueSize(), effective);
    QCOMPARE(r.pushWindow(), readerWindow);
}

void Tst_options::deadLetterTopic_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QString>("subscription");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("expected");
    const QString topic = QStringLiteral("persistent://t/ns/topic");
    QTest::addRow("default name") << QStringLiteral("maxRedeliverCount=3") << topic << QStringLiteral("sub") << true
                                  << QStringLiteral("persistent://t/ns/topic-sub-DLQ");
    QTest::addRow("non-persistent") << QStringLiteral("maxRedeliverCount=1") << QStringLiteral("non-persistent://a/b/c")
                                    << QStringLiteral("my-sub") << true
                                    << QStringLiteral("non-persistent://a/b/c-my-sub-DLQ");
    QTest::addRow("explicit") << QStringLiteral("maxRedeliverCount=3&deadLetterTopic=persistent://t/ns/dead") << topic
                              << QStringLiteral("sub") << true << QStringLiteral("persistent://t/ns/dead");
    QTest::addRow("explicit empty falls back")
        << QStringLiteral("maxRedeliverCount=3&deadLetterTopic=") << topic << QStringLiteral("sub") << true
        << QStringLiteral("persistent://t/ns/topic-sub-DLQ");
    QTest::addRow("explicit blank falls back")
        << QStringLiteral("maxRedeliverCount=3&deadLetterTopic=%20") << topic << QStringLiteral("s") << true
        << QStringLiteral("persistent://t/ns/topic-s-DLQ");
    QTest::addRow("no dead letter queue") << QString() << topic << QStringLiteral("sub") << false << QString();
}

void Tst_options::deadLetterTopic()
{
    QFETCH(QString, query);
    QFETCH(QString, topic);
    QFETCH(QString, subscription);
    QFETCH(bool, enabled);
    QFETCH(QString, expected);
    const Result<ConsumerOptions> r = ConsumerOptions::fromQuery(q(query));
    QVERIFY(r.ok());
    QCOMPARE(r->deadLetterEnabled(), enabled);
    QCOMPARE(r->deadLetterTopicFor(topic, subscription), expected);
}

void Tst_options::producerEffective_data()
{
    QTest::addColumn<ProducerOptions>("options");
    QTest::addColumn<bool>("clientSide");
    QTest::addColumn<bool>("batching");
    QTest::addColumn<int>("maxMessages");
    QTest::addColumn<int>("maxPending");
    QTest::addColumn<int>("delay");
    QTest::addColumn<int>("compression");
    QTest::addColumn<int>("routing");

    const int none = int(CompressionType::None);
    const int single = int(MessageRoutingMode::SinglePartition);
    QTest::addRow("defaults") << producer() << false << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("batching off ignores parameters") << producer([](auto &o) {
        o.batchingMaxMessages = 10;
        o.maxPendingMessages = 5;
        o.batchingMaxPublishDelay = 7;
    }) << false << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("batching on applies parameters") << producer([](auto &o) {
        o.batchingEnabled = true;
        o.batchingMaxMessages = 10;
        o.maxPendingMessages = 5;
        o.batchingMaxPublishDelay = 7;
    }) << false << true << 10 << 5 << 7 << none << single;
    QTest::addRow("client-side turns batching and compression off") << producer([](auto &o) {
        o.batchingEnabled = true;
        o.batchingMaxMessages = 10;
        o.compressionType = CompressionType::LZ4;
        o.encryptionKeys = clientKeys(oneClientKey);
    }) << true << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("server-side keeps compression") << producer([](auto &o) {
        o.compressionType = CompressionType::LZ4;
        o.encryptionKeys = QStringLiteral("k1");
    }) << false << false << 1000 << 0 << 1 << int(CompressionType::LZ4)
                                                   << single;
    QTest::addRow("client keys with whitespace around") << producer([](auto &o) {
        o.encryptionKeys = QStringLiteral(" ") + clientKeys(oneClientKey) + QStringLiteral("\n");
    }) << true << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("base64 without padding still client-side") << producer([](auto &o) {
        QString keys = clientKeys(R"({"k":{"keyValue":"AA=="}})");
        while (keys.endsWith(QLatin1Char('=')))
            keys.chop(1);
        o.encryptionKeys = keys;
    }) << true << false << 1000 << 0 << 1 << none << single;
    // The metadata value "~" puts a '+' into the standard base64; Java's basic decoder rejects the '-' form.
    QTest::addRow("standard base64 with plus is client-side") << producer([](auto &o) {
        o.encryptionKeys = clientKeys(R"({"k":{"keyValue":"AA==","metadata":{"m":"~"}}})");
        QVERIFY(o.encryptionKeys->contains(QLatin1Char('+')));
    }) << true << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("url-safe base64 is server-side") << producer([](auto &o) {
        o.encryptionKeys =
            clientKeys(R"({"k":{"keyValue":"AA==","metadata":{"m":"~"}}})").replace(QLatin1Char('+'), QLatin1Char('-'));
    }) << false << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("non-object key value is server-side")
        << producer([](auto &o) { o.encryptionKeys = clientKeys(R"({"k":{"keyValue":"AA=="},"x":"str"})"); }) << false
        << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("keyValue not base64 is server-side")
        << producer([](auto &o) { o.encryptionKeys = clientKeys(R"({"k":{"keyValue":"*"}})"); }) << false << false
        << 1000 << 0 << 1 << none << single;
    QTest::addRow("half padding is server-side") << producer([](auto &o) {
        QString keys = clientKeys(R"({"k":{"keyValue":"AA=="}})");
        QVERIFY(keys.endsWith(QLatin1String("==")));
        keys.chop(1); // "xx=": Java wants "xx==" or "xx"
        o.encryptionKeys = keys;
    }) << false << false << 1000 << 0 << 1 << none
                                                 << single;
    QTest::addRow("dangling padding is server-side")
        << producer([](auto &o) { o.encryptionKeys = clientKeys(oneClientKey) + QStringLiteral("="); }) << false
        << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("empty map is server-side") << producer([](auto &o) { o.encryptionKeys = clientKeys("{}"); }) << false
                                              << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("json array is server-side") << producer([](auto &o) { o.encryptionKeys = clientKeys("[1]"); })
                                               << false << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("first key in document order decides")
        << producer([](auto &o) { o.encryptionKeys = clientKeys(R"({"z":{"keyValue":"AA=="},"a":{}})"); }) << true
        << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("first key without keyValue is server-side")
        << producer([](auto &o) { o.encryptionKeys = clientKeys(R"({"z":{},"a":{"keyValue":"AA=="}})"); }) << false
        << false << 1000 << 0 << 1 << none << single;
    QTest::addRow("round robin") << producer([](auto &o) {
        o.messageRoutingMode = MessageRoutingMode::RoundRobinPartition;
    }) << false << false << 1000 << 0
                                 << 1 << none << int(MessageRoutingMode::RoundRobinPartition);
    QTest::addRow("custom partition ignored")
        << producer([](auto &o) { o.messageRoutingMode = MessageRoutingMode::CustomPartition; }) << false << false
        << 1000 << 0 << 1 << none << single;
}

void Tst_options::producerEffective()
{
    QFETCH(ProducerOptions, options);
    QFETCH(bool, clientSide);
    QFETCH(bool, batching);
    QFETCH(int, maxMessages);
    QFETCH(int, maxPending);
    QFETCH(int, delay);
    QFETCH(int, compression);
    QFETCH(int, routing);
    QCOMPARE(options.usesClientSideEncryption(), clientSide);
    QCOMPARE(options.effectiveBatchingEnabled(), batching);
    QCOMPARE(options.batchingParametersApply(), batching);
    QCOMPARE(options.effectiveBatchingMaxMessages(), maxMessages);
    QCOMPARE(options.effectiveMaxPendingMessages(), maxPending);
    QCOMPARE(options.effectiveBatchingMaxPublishDelay(), delay);
    QCOMPARE(int(options.effectiveCompressionType()), compression);
    QCOMPARE(int(options.effectiveRoutingMode()), routing);
}

void Tst_options::serverSideKeyNames_data()
{
    QTest::addColumn<QString>("keys");
    QTest::addColumn<QStringList>("names");
    QTest::addRow("one") << QStringLiteral("k1") << QStringList{QStringLiteral("k1")};
    QTest::addRow("two") << QStringLiteral("k1,k2") << QStringList{QStringLiteral("k1"), QStringLiteral("k2")};
    QTest::addRow("empty middle kept") << QStringLiteral("a,,b")
                                       << QStringList{QStringLiteral("a"), QString(), QStringLiteral("b")};
    QTest::addRow("trailing dropped") << QStringLiteral("a,,") << QStringList{QStringLiteral("a")};
    QTest::addRow("leading kept") << QStringLiteral(",a") << QStringList{QString(), QStringLiteral("a")};
    QTest::addRow("only comma") << QStringLiteral(",") << QStringList{};
    QTest::addRow("empty string") << QString() << QStringList{QString()};
    QTest::addRow("spaces kept") << QStringLiteral(" a , b")
                                 << QStringList{QStringLiteral(" a "), QStringLiteral(" b")};
    QTest::addRow("client-side has none") << clientKeys(oneClientKey) << QStringList{};
}

void Tst_options::serverSideKeyNames()
{
    QFETCH(QString, keys);
    QFETCH(QStringList, names);
    ProducerOptions o;
    o.encryptionKeys = keys;
    QCOMPARE(o.serverSideEncryptionKeyNames(), names);
}

void Tst_options::validate_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<ProducerOptions>("producerOptions");
    QTest::addColumn<ConsumerOptions>("consumerOptions");
    QTest::addColumn<ReaderOptions>("readerOptions");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("error");

    auto p = [](const char *tag, const ProducerOptions &o, const QString &error) {
        QTest::addRow("producer %s", tag)
            << QStringLiteral("producer") << o << ConsumerOptions() << ReaderOptions()
            << (error.isEmpty() ? ErrorCode::None : ErrorCode::InvalidQueryParams) << error;
    };
    auto c = [](const char *tag, const ConsumerOptions &o, const QString &error) {
        QTest::addRow("consumer %s", tag)
            << QStringLiteral("consumer") << ProducerOptions() << o << ReaderOptions()
            << (error.isEmpty() ? ErrorCode::None : ErrorCode::InvalidQueryParams) << error;
    };
    auto r = [](const char *tag, const ReaderOptions &o, const QString &error) {
        QTest::addRow("reader %s", tag) << QStringLiteral("reader") << ProducerOptions() << ConsumerOptions() << o
                                        << (error.isEmpty() ? ErrorCode::None : ErrorCode::InvalidPath) << error;
    };
    p("defaults", producer(), QString());
    p("blank name", producer([](auto &o) { o.producerName = QStringLiteral(" "); }),
      QStringLiteral("producerName cannot be blank"));
    p("negative send timeout", producer([](auto &o) { o.sendTimeoutMillis = -5; }),
      QStringLiteral("sendTimeout needs to be >= 0"));
    p("negative pending even without batching", producer([](auto &o) { o.maxPendingMessages = -1; }),
      QStringLiteral("maxPendingMessages needs to be >= 0"));
    p("zero delay even without batching", producer([](auto &o) { o.batchingMaxPublishDelay = 0; }),
      QStringLiteral("configured value for batch delay must be at least 1ms"));
    p("blank server-side key", producer([](auto &o) { o.encryptionKeys = QStringLiteral("a,,b"); }),
      QStringLiteral("Encryption key cannot be blank"));
    p("bad client-side key",
      producer([](auto &o) { o.encryptionKeys = clientKeys(R"({"a":{"keyValue":"AA=="},"b":null})"); }),
      QStringLiteral("Empty param encryptionKeys.value"));
    p("name before timeout", producer([](auto &o) {
          o.producerName = QString();
          o.sendTimeoutMillis = -1;
      }),
      QStringLiteral("producerName cannot be blank"));
    c("defaults", consumer(), QString());
    c("ack timeout 500", consumer([](auto &o) { o.ackTimeoutMillis = 500; }),
      QStringLiteral("Ack timeout should be greater than 1000 ms"));
    c("queue -1", consumer([](auto &o) { o.receiverQueueSize = -1; }),
      QStringLiteral("receiverQueueSize needs to be >= 0"));
    c("blank name", consumer([](auto &o) { o.consumerName = QString(); }),
      QStringLiteral("consumerName cannot be blank"));
    c("priority -1", consumer([](auto &o) { o.priorityLevel = -1; }), QStringLiteral("priorityLevel needs to be >= 0"));
    c("nack -1", consumer([](auto &o) { o.negativeAckRedeliveryDelay = -1; }),
      QStringLiteral("redeliveryDelay needs to be >= 0"));
    c("dlq topic alone", consumer([](auto &o) { o.deadLetterTopic = QStringLiteral("d"); }),
      QStringLiteral("MaxRedeliverCount must be > 0."));
    c("dlq count 0", consumer([](auto &o) { o.maxRedeliverCount = 0; }),
      QStringLiteral("MaxRedeliverCount must be > 0."));
    c("dlq ok", consumer([](auto &o) { o.maxRedeliverCount = 1; }), QString());
    c("ack before queue", consumer([](auto &o) {
          o.ackTimeoutMillis = 1;
          o.receiverQueueSize = -1;
      }),
      QStringLiteral("Ack timeout should be greater than 1000 ms"));
    r("defaults", reader(), QString());
    r("queue -1", reader([](auto &o) { o.receiverQueueSize = -1; }),
      QStringLiteral("receiverQueueSize needs to be >= 0"));
    r("queue 0", reader([](auto &o) { o.receiverQueueSize = 0; }), QString());
}

void Tst_options::validate()
{
    QFETCH(QString, kind);
    QFETCH(ProducerOptions, producerOptions);
    QFETCH(ConsumerOptions, consumerOptions);
    QFETCH(ReaderOptions, readerOptions);
    QFETCH(ErrorCode, code);
    QFETCH(QString, error);
    std::optional<Error> e;
    if (kind == QLatin1String("producer"))
        e = producerOptions.validate();
    else if (kind == QLatin1String("consumer"))
        e = consumerOptions.validate();
    else
        e = readerOptions.validate();
    QCOMPARE(e.has_value(), code != ErrorCode::None);
    if (e) {
        QCOMPARE(e->code, code);
        QCOMPARE(e->message, error);
    }
}

// ---- serialisation -----------------------------------------------------------------------------------------

void Tst_options::producerToQuery_data()
{
    QTest::addColumn<ProducerOptions>("options");
    QTest::addColumn<QString>("query");
    QTest::addRow("defaults write nothing") << producer() << QString();
    QTest::addRow("default values written back are still nothing") << producer([](auto &o) {
        o.sendTimeoutMillis = 30000;
        o.batchingMaxMessages = 1000;
        o.compressionType = CompressionType::None;
    }) << QString();
    QTest::addRow("producerName") << producer([](auto &o) { o.producerName = QStringLiteral("p"); })
                                  << QStringLiteral("producerName=p");
    QTest::addRow("initialSequenceId zero is explicit")
        << producer([](auto &o) { o.initialSequenceId = 0; }) << QStringLiteral("initialSequenceId=0");
    QTest::addRow("hashingScheme") << producer([](auto &o) { o.hashingScheme = HashingScheme::Murmur3_32Hash; })
                                   << QStringLiteral("hashingScheme=Murmur3_32Hash");
    QTest::addRow("sendTimeout zero") << producer([](auto &o) { o.sendTimeoutMillis = 0; })
                                      << QStringLiteral("sendTimeoutMillis=0");
    QTest::addRow("batching") << producer([](auto &o) { o.batchingEnabled = true; })
                              << QStringLiteral("batchingEnabled=true");
    QTest::addRow("Key routing custom") << producer([](auto &o) {
        o.messageRoutingMode = MessageRoutingMode::CustomPartition;
    }) << QStringLiteral("messageRoutingMode=CustomPartition");
    QTest::addRow("compression") << producer([](auto &o) { o.compressionType = CompressionType::Snappy; })
                                 << QStringLiteral("compressionType=SNAPPY");
    QTest::addRow("token empty is explicit")
        << producer([](auto &o) { o.token = QString(); }) << QStringLiteral("token=");
    QTest::addRow("every field, spec order")
        << producer([](auto &o) {
               o.token = QStringLiteral("tk");
               o.encryptionKeys = QStringLiteral("k1,k2");
               o.compressionType = CompressionType::ZStd;
               o.messageRoutingMode = MessageRoutingMode::RoundRobinPartition;
               o.batchingMaxPublishDelay = 10;
               o.maxPendingMessages = 100;
               o.batchingMaxMessages = 50;
               o.batchingEnabled = true;
               o.sendTimeoutMillis = 1000;
               o.hashingScheme = HashingScheme::Murmur3_32Hash;
               o.initialSequenceId = -7;
               o.producerName = QStringLiteral("me");
           })
        << QStringLiteral(
               "producerName=me&initialSequenceId=-7&hashingScheme=Murmur3_32Hash&sendTimeoutMillis=1000"
               "&batchingEnabled=true&batchingMaxMessages=50&maxPendingMessages=100&batchingMaxPublishDelay=10"
               "&messageRoutingMode=RoundRobinPartition&compressionType=ZSTD&encryptionKeys=k1,k2&token=tk");
    QTest::addRow("invalid values are left out") << producer([](auto &o) {
        o.producerName = QStringLiteral("\t");
        o.sendTimeoutMillis = -1;
        o.maxPendingMessages = -1;
        o.batchingMaxPublishDelay = 0;
        o.encryptionKeys = QStringLiteral(",x");
        o.batchingEnabled = true;
    }) << QStringLiteral("batchingEnabled=true");
}

void Tst_options::producerToQuery()
{
    QFETCH(ProducerOptions, options);
    QFETCH(QString, query);
    QCOMPARE(joined(options.toQueryItems()), query);
}

void Tst_options::consumerToQuery_data()
{
    QTest::addColumn<ConsumerOptions>("options");
    QTest::addColumn<QString>("query");
    QTest::addRow("defaults write nothing") << consumer() << QString();
    QTest::addRow("Key_Shared") << consumer([](auto &o) { o.subscriptionType = SubscriptionType::KeyShared; })
                                << QStringLiteral("subscriptionType=Key_Shared");
    QTest::addRow("pull mode") << consumer([](auto &o) { o.pullMode = true; }) << QStringLiteral("pullMode=true");
    QTest::addRow("queue 1001 as asked") << consumer([](auto &o) { o.receiverQueueSize = 1001; })
                                         << QStringLiteral("receiverQueueSize=1001");
    QTest::addRow("every field, spec order")
        << consumer([](auto &o) {
               o.token = QStringLiteral("tk");
               o.cryptoFailureAction = CryptoFailureAction::Consume;
               o.pullMode = true;
               o.deadLetterTopic = QStringLiteral("dlq");
               o.maxRedeliverCount = 4;
               o.negativeAckRedeliveryDelay = 100;
               o.priorityLevel = 2;
               o.consumerName = QStringLiteral("c");
               o.receiverQueueSize = 10;
               o.ackTimeoutMillis = 5000;
               o.subscriptionInitialPosition = InitialPosition::Earliest;
               o.subscriptionMode = SubscriptionMode::NonDurable;
               o.subscriptionType = SubscriptionType::Failover;
           })
        << QStringLiteral("subscriptionType=Failover&subscriptionMode=NonDurable&subscriptionInitialPosition=Earliest"
                          "&ackTimeoutMillis=5000&receiverQueueSize=10&consumerName=c&priorityLevel=2"
                          "&negativeAckRedeliveryDelay=100&maxRedeliverCount=4&deadLetterTopic=dlq&pullMode=true"
                          "&cryptoFailureAction=CONSUME&token=tk");
    QTest::addRow("invalid values are left out") << consumer([](auto &o) {
        o.ackTimeoutMillis = 500;
        o.receiverQueueSize = -3;
        o.consumerName = QString();
        o.priorityLevel = -1;
        o.negativeAckRedeliveryDelay = -1;
        o.deadLetterTopic = QStringLiteral("orphan");
    }) << QString();
    QTest::addRow("zero redeliver count drops both") << consumer([](auto &o) {
        o.maxRedeliverCount = 0;
        o.deadLetterTopic = QStringLiteral("d");
    }) << QString();
    QTest::addRow("nack delay zero") << consumer([](auto &o) { o.negativeAckRedeliveryDelay = 0; })
                                     << QStringLiteral("negativeAckRedeliveryDelay=0");
}

void Tst_options::consumerToQuery()
{
    QFETCH(ConsumerOptions, options);
    QFETCH(QString, query);
    QCOMPARE(joined(options.toQueryItems()), query);
}

void Tst_options::readerToQuery_data()
{
    QTest::addColumn<ReaderOptions>("options");
    QTest::addColumn<QString>("query");
    QTest::addRow("defaults write nothing") << reader() << QString();
    QTest::addRow("every field, spec order") << reader([](auto &o) {
        o.token = QStringLiteral("tk");
        o.cryptoFailureAction = CryptoFailureAction::Discard;
        o.messageId = QStringLiteral("earliest");
        o.receiverQueueSize = 0;
        o.readerName = QStringLiteral("r");
    }) << QStringLiteral("readerName=r&receiverQueueSize=0&messageId=earliest&cryptoFailureAction=DISCARD&token=tk");
    QTest::addRow("negative queue left out") << reader([](auto &o) { o.receiverQueueSize = -1; }) << QString();
    QTest::addRow("empty messageId is explicit")
        << reader([](auto &o) { o.messageId = QString(); }) << QStringLiteral("messageId=");
}

void Tst_options::readerToQuery()
{
    QFETCH(ReaderOptions, options);
    QFETCH(QString, query);
    QCOMPARE(joined(options.toQueryItems()), query);
}

void Tst_options::roundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<ProducerOptions>("producerOptions");
    QTest::addColumn<ConsumerOptions>("consumerOptions");
    QTest::addColumn<ReaderOptions>("readerOptions");

    auto p = [](const char *tag, const ProducerOptions &o) {
        QTest::addRow("producer %s", tag) << QStringLiteral("producer") << o << ConsumerOptions() << ReaderOptions();
    };
    auto c = [](const char *tag, const ConsumerOptions &o) {
        QTest::addRow("consumer %s", tag) << QStringLiteral("consumer") << ProducerOptions() << o << ReaderOptions();
    };
    auto r = [](const char *tag, const ReaderOptions &o) {
        QTest::addRow("reader %s", tag) << QStringLiteral("reader") << ProducerOptions() << ConsumerOptions() << o;
    };
    p("defaults", producer());
    p("batching off with parameters", producer([](auto &o) {
          o.batchingMaxMessages = 3;
          o.maxPendingMessages = 9;
          o.batchingMaxPublishDelay = 4;
      }));
    p("batching on", producer([](auto &o) {
          o.batchingEnabled = true;
          o.batchingMaxMessages = -1;
      }));
    p("custom routing", producer([](auto &o) { o.messageRoutingMode = MessageRoutingMode::CustomPartition; }));
    p("long sequence", producer([](auto &o) { o.initialSequenceId = std::numeric_limits<qint64>::min(); }));
    p("client-side with batching and compression", producer([](auto &o) {
          o.encryptionKeys = clientKeys(oneClientKey);
          o.batchingEnabled = true;
          o.compressionType = CompressionType::LZ4;
      }));
    p("names with spaces and symbols", producer([](auto &o) {
          o.producerName = QStringLiteral("a b&c=d");
          o.token = QStringLiteral("Bearer x.y.z");
      }));
    c("defaults", consumer());
    c("dlq", consumer([](auto &o) {
          o.maxRedeliverCount = 2;
          o.deadLetterTopic = QStringLiteral("persistent://t/n/d");
      }));
    c("dlq empty topic", consumer([](auto &o) {
          o.maxRedeliverCount = 2;
          o.deadLetterTopic = QString();
      }));
    c("queue 1001 and pull", consumer([](auto &o) {
          o.receiverQueueSize = 1001;
          o.pullMode = true;
      }));
    c("queue zero and nack zero", consumer([](auto &o) {
          o.receiverQueueSize = 0;
          o.negativeAckRedeliveryDelay = 0;
      }));
    c("nbsp consumer name", consumer([](auto &o) { o.consumerName = QString(QChar(0x00A0)); }));
    r("defaults", reader());
    r("blank messageId", reader([](auto &o) { o.messageId = QStringLiteral("  "); }));
    r("base64 messageId and empty name", reader([](auto &o) {
          o.messageId = QStringLiteral("CAEQAg==");
          o.readerName = QString();
      }));
}

void Tst_options::roundTrip()
{
    QFETCH(QString, kind);
    QFETCH(ProducerOptions, producerOptions);
    QFETCH(ConsumerOptions, consumerOptions);
    QFETCH(ReaderOptions, readerOptions);
    if (kind == QLatin1String("producer")) {
        QVERIFY(!producerOptions.validate());
        const auto back = ProducerOptions::fromQuery(producerOptions.toQueryItems());
        QVERIFY(back.ok());
        QCOMPARE(*back, producerOptions);
    } else if (kind == QLatin1String("consumer")) {
        QVERIFY(!consumerOptions.validate());
        const auto back = ConsumerOptions::fromQuery(consumerOptions.toQueryItems());
        QVERIFY(back.ok());
        QCOMPARE(*back, consumerOptions);
    } else {
        QVERIFY(!readerOptions.validate());
        const auto back = ReaderOptions::fromQuery(readerOptions.toQueryItems());
        QVERIFY(back.ok());
        QCOMPARE(*back, readerOptions);
    }
}

// Every enum value of every field, each alone and all together, must come back unchanged.
void Tst_options::roundTripSweep()
{
    int checked = 0;
    for (int hs = 0; hs < 2; ++hs) {
        for (int rm = 0; rm < 3; ++rm) {
            for (int ct = 0; ct < 5; ++ct) {
                for (int batching = 0; batching < 2; ++batching) {
                    ProducerOptions o;
                    o.hashingScheme = HashingScheme(hs);
                    o.messageRoutingMode = MessageRoutingMode(rm);
                    o.compressionType = CompressionType(ct);
                    o.batchingEnabled = batching;
                    const auto back = ProducerOptions::fromQuery(o.toQueryItems());
                    QVERIFY(back.ok());
                    QCOMPARE(*back, o);
                    ++checked;
                }
            }
        }
    }
    for (int st = 0; st < 4; ++st) {
        for (int sm = 0; sm < 2; ++sm) {
            for (int ip = 0; ip < 2; ++ip) {
                for (int ca = 0; ca < 3; ++ca) {
                    ConsumerOptions o;
                    o.subscriptionType = SubscriptionType(st);
                    o.subscriptionMode = SubscriptionMode(sm);
                    o.subscriptionInitialPosition = InitialPosition(ip);
                    o.cryptoFailureAction = CryptoFailureAction(ca);
                    const auto back = ConsumerOptions::fromQuery(o.toQueryItems());
                    QVERIFY(back.ok());
                    QCOMPARE(*back, o);
                    ReaderOptions r;
                    r.cryptoFailureAction = CryptoFailureAction(ca);
                    const auto readerBack = ReaderOptions::fromQuery(r.toQueryItems());
                    QVERIFY(readerBack.ok());
                    QCOMPARE(*readerBack, r);
                    ++checked;
                }
            }
        }
    }
    QCOMPARE(checked, 60 + 48);
}

QTEST_GUILESS_MAIN(Tst_options)
#include "tst_options.moc"
