#include "protocol/topicname.h"

#include <QSet>
#include <QtTest>

using namespace Pulsar;

// Topic and namespace names against Pulsar's TopicName, NamespaceName, NamedEntity, TopicDomain and Codec:
// the expected strings and error texts are Pulsar's, written out by hand from its source.
class Tst_topicname : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void domain_data();
    void domain();
    void parse_data();
    void parse();
    void parseErrors_data();
    void parseErrors();
    void partitionIndex_data();
    void partitionIndex();
    void partition_data();
    void partition();
    void restPath_data();
    void restPath();
    void encode_data();
    void encode();
    void decode_data();
    void decode();
    void decodeErrors_data();
    void decodeErrors();
    void encodeDecodeRoundTrip_data();
    void encodeDecodeRoundTrip();
    void namedEntity_data();
    void namedEntity();
    void namespaceParse_data();
    void namespaceParse();
    void namespaceFromParts_data();
    void namespaceFromParts();
    void equalityAndHash();
    void defaultConstructed();
};

void Tst_topicname::domain_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("domain");
    QTest::addColumn<QString>("error");

    const int p = int(TopicDomain::Persistent);
    const int np = int(TopicDomain::NonPersistent);
    QTest::addRow("persistent") << QStringLiteral("persistent") << true << p << QString();
    QTest::addRow("non-persistent") << QStringLiteral("non-persistent") << true << np << QString();
    QTest::addRow("upper") << QStringLiteral("PERSISTENT") << true << p << QString();
    QTest::addRow("mixed non") << QStringLiteral("Non-Persistent") << true << np << QString();
    // Java's equalsIgnoreCase goes through upper case: U+017F (long s) and U+0131 (dotless i) both match.
    QTest::addRow("long s") << QStringLiteral(u"per\u017Fistent") << true << p << QString();
    QTest::addRow("dotless i") << QStringLiteral(u"pers\u0131stent") << true << p << QString();
    QTest::addRow("underscore") << QStringLiteral("non_persistent") << false << 0
                                << QStringLiteral("Invalid enum value non_persistent");
    QTest::addRow("empty") << QString() << false << 0 << QStringLiteral("Invalid enum value ");
    QTest::addRow("typo") << QStringLiteral("persistant") << false << 0
                          << QStringLiteral("Invalid enum value persistant");
    QTest::addRow("space") << QStringLiteral("persistent ") << false << 0
                           << QStringLiteral("Invalid enum value persistent ");
}

void Tst_topicname::domain()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, domain);
    QFETCH(QString, error);

    const Result<TopicDomain> result = topicDomainFromString(text);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        QCOMPARE(int(*result), domain);
        QCOMPARE(topicDomainName(*result), domain == int(TopicDomain::Persistent) ? QStringLiteral("persistent")
                                                                                  : QStringLiteral("non-persistent"));
    } else {
        QCOMPARE(result.error().code, ErrorCode::InvalidTopicName);
        QCOMPARE(result.error().message, error);
    }
}

void Tst_topicname::parse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("fullName");
    QTest::addColumn<bool>("persistent");
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("cluster");
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("local");

    const QString none;
    auto row = [&](const char *name, const QString &input, const QString &full, bool persistent, const QString &tenant,
                   const QString &cluster, const QString &ns, const QString &local) {
        QTest::addRow("%s", name) << input << full << persistent << tenant << cluster << ns << local;
    };
    row("short topic", QStringLiteral("my-topic"), QStringLiteral("persistent://public/default/my-topic"), true,
        QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("my-topic"));
    row("short three parts", QStringLiteral("my-tenant/my-ns/my-topic"),
        QStringLiteral("persistent://my-tenant/my-ns/my-topic"), true, QStringLiteral("my-tenant"), none,
        QStringLiteral("my-ns"), QStringLiteral("my-topic"));
    // StringUtils.split drops empty tokens: a lone topic with stray slashes is still one token.
    row("short leading slash", QStringLiteral("/my-topic"), QStringLiteral("persistent://public/default/my-topic"),
        true, QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("my-topic"));
    row("short trailing slash", QStringLiteral("my-topic/"), QStringLiteral("persistent://public/default/my-topic"),
        true, QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("my-topic"));
    row("short slashes around", QStringLiteral("//my-topic//"), QStringLiteral("persistent://public/default/my-topic"),
        true, QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("my-topic"));
    row("short with colon", QStringLiteral("a:b"), QStringLiteral("persistent://public/default/a:b"), true,
        QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("a:b"));
    row("short with space", QStringLiteral("t/ns/a b"), QStringLiteral("persistent://t/ns/a b"), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("a b"));
    row("short named-entity chars", QStringLiteral("t=1/ns.2:x_y/top"), QStringLiteral("persistent://t=1/ns.2:x_y/top"),
        true, QStringLiteral("t=1"), none, QStringLiteral("ns.2:x_y"), QStringLiteral("top"));
    row("v2 persistent", QStringLiteral("persistent://t/ns/x"), QStringLiteral("persistent://t/ns/x"), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("x"));
    row("v2 non-persistent", QStringLiteral("non-persistent://t/ns/x"), QStringLiteral("non-persistent://t/ns/x"),
        false, QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("x"));
    row("domain upper case", QStringLiteral("PERSISTENT://t/ns/x"), QStringLiteral("persistent://t/ns/x"), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("x"));
    row("domain mixed case", QStringLiteral("Non-Persistent://t/ns/x"), QStringLiteral("non-persistent://t/ns/x"),
        false, QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("x"));
    row("domain long s", QStringLiteral(u"per\u017Fistent://t/ns/x"), QStringLiteral("persistent://t/ns/x"), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral("x"));
    row("v1 with cluster", QStringLiteral("persistent://prop/cluster/ns/x"),
        QStringLiteral("persistent://prop/cluster/ns/x"), true, QStringLiteral("prop"), QStringLiteral("cluster"),
        QStringLiteral("ns"), QStringLiteral("x"));
    row("v1 slashed local name", QStringLiteral("persistent://prop/cluster/ns/a/b/c"),
        QStringLiteral("persistent://prop/cluster/ns/a/b/c"), true, QStringLiteral("prop"), QStringLiteral("cluster"),
        QStringLiteral("ns"), QStringLiteral("a/b/c"));
    // Four parts make a v1 name: the namespace becomes the cluster.
    row("v2-looking slashed is v1", QStringLiteral("persistent://t/ns/a/b"), QStringLiteral("persistent://t/ns/a/b"),
        true, QStringLiteral("t"), QStringLiteral("ns"), QStringLiteral("a"), QStringLiteral("b"));
    row("v1 local with trailing slash", QStringLiteral("persistent://p/c/ns/a/"),
        QStringLiteral("persistent://p/c/ns/a/"), true, QStringLiteral("p"), QStringLiteral("c"), QStringLiteral("ns"),
        QStringLiteral("a/"));
    row("v1 local with empty segment", QStringLiteral("persistent://p/c/ns//y"),
        QStringLiteral("persistent://p/c/ns//y"), true, QStringLiteral("p"), QStringLiteral("c"), QStringLiteral("ns"),
        QStringLiteral("/y"));
    row("second scheme separator", QStringLiteral("persistent://t/ns/x://y"), QStringLiteral("persistent://t/ns/x://y"),
        true, QStringLiteral("t"), QStringLiteral("ns"), QStringLiteral("x:"), QStringLiteral("/y"));
    // The local name is not checked against the named-entity pattern.
    row("local special chars", QStringLiteral("persistent://t/ns/a b+c%2F[]<>?#&="),
        QStringLiteral("persistent://t/ns/a b+c%2F[]<>?#&="), true, QStringLiteral("t"), none, QStringLiteral("ns"),
        QStringLiteral("a b+c%2F[]<>?#&="));
    row("local cjk", QStringLiteral(u"persistent://t/ns/主题"), QStringLiteral(u"persistent://t/ns/主题"), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral(u"主题"));
    row("local spaces around", QStringLiteral("persistent://t/ns/ x "), QStringLiteral("persistent://t/ns/ x "), true,
        QStringLiteral("t"), none, QStringLiteral("ns"), QStringLiteral(" x "));
    row("short cjk", QStringLiteral(u"主题"), QStringLiteral(u"persistent://public/default/主题"), true,
        QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral(u"主题"));
    row("short partition", QStringLiteral("-partition-1"), QStringLiteral("persistent://public/default/-partition-1"),
        true, QStringLiteral("public"), none, QStringLiteral("default"), QStringLiteral("-partition-1"));
}

void Tst_topicname::parse()
{
    QFETCH(QString, input);
    QFETCH(QString, fullName);
    QFETCH(bool, persistent);
    QFETCH(QString, tenant);
    QFETCH(QString, cluster);
    QFETCH(QString, ns);
    QFETCH(QString, local);

    const Result<TopicName> result = TopicName::parse(input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const TopicName &topic = *result;
    QVERIFY(topic.isValid());
    QCOMPARE(topic.toString(), fullName);
    QCOMPARE(topic.isPersistent(), persistent);
    QCOMPARE(topic.domain(), persistent ? TopicDomain::Persistent : TopicDomain::NonPersistent);
    QCOMPARE(topic.tenant(), tenant);
    QCOMPARE(topic.cluster(), cluster);
    QCOMPARE(topic.namespacePortion(), ns);
    QCOMPARE(topic.localName(), local);
    QCOMPARE(topic.isV2(), cluster.isEmpty());
    const QString nsText =
        cluster.isEmpty() ? QString(tenant + u'/' + ns) : QString(tenant + u'/' + cluster + u'/' + ns);
    QCOMPARE(topic.namespaceName().toString(), nsText);
    QCOMPARE(topic.namespaceName().isV2(), cluster.isEmpty());
    // Parsing the normalised name again is the identity.
    const Result<TopicName> again = TopicName::parse(fullName);
    QVERIFY(again.ok());
    QCOMPARE(*again, topic);
}

void Tst_topicname::parseErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");

    const auto shortError = [](const QString &name) -> QString {
        return QStringLiteral("Invalid short topic name '") + name +
               QStringLiteral("', it should be in the format of <tenant>/<namespace>/<topic> or <topic>");
    };
    QTest::addRow("empty") << QString() << shortError(QString());
    QTest::addRow("only slash") << QStringLiteral("/") << shortError(QStringLiteral("/"));
    QTest::addRow("two parts") << QStringLiteral("a/b") << shortError(QStringLiteral("a/b"));
    QTest::addRow("two parts with empty") << QStringLiteral("a//b") << shortError(QStringLiteral("a//b"));
    QTest::addRow("four parts") << QStringLiteral("a/b/c/d") << shortError(QStringLiteral("a/b/c/d"));
    QTest::addRow("single-slash scheme") << QStringLiteral("persistent:/t/ns/x")
                                         << shortError(QStringLiteral("persistent:/t/ns/x"));
    // Three tokens once empties are dropped, but the original text (with its empty part) is what gets parsed.
    QTest::addRow("short empty middle") << QStringLiteral("a//b/c")
                                        << QStringLiteral("Invalid namespace format. namespace: a//b");
    QTest::addRow("short leading slash three")
        << QStringLiteral("/t/ns/x") << QStringLiteral("Invalid namespace format. namespace: /t/ns");
    QTest::addRow("short trailing slash three")
        << QStringLiteral("t/ns/x/") << QStringLiteral("Invalid topic name: persistent://t/ns/x/");
    QTest::addRow("short bad tenant") << QStringLiteral("t t/ns/x") << QStringLiteral("Invalid named entity: t t");
    QTest::addRow("unknown domain") << QStringLiteral("foo://t/ns/x") << QStringLiteral("Invalid enum value foo");
    QTest::addRow("empty domain") << QStringLiteral("://t/ns/x") << QStringLiteral("Invalid enum value ");
    QTest::addRow("domain with underscore")
        << QStringLiteral("non_persistent://t/ns/x") << QStringLiteral("Invalid enum value non_persistent");
    QTest::addRow("no namespace") << QStringLiteral("persistent://t/ns")
                                  << QStringLiteral("Invalid topic name: persistent://t/ns");
    QTest::addRow("tenant only") << QStringLiteral("persistent://t")
                                 << QStringLiteral("Invalid topic name: persistent://t");
    QTest::addRow("nothing after scheme")
        << QStringLiteral("persistent://") << QStringLiteral("Invalid topic name: persistent://");
    QTest::addRow("empty local") << QStringLiteral("persistent://t/ns/")
                                 << QStringLiteral("Invalid topic name: persistent://t/ns/");
    // The message quotes the name as given, before the domain is normalised.
    QTest::addRow("empty local upper domain")
        << QStringLiteral("PERSISTENT://t/ns/") << QStringLiteral("Invalid topic name: PERSISTENT://t/ns/");
    QTest::addRow("v1 empty local") << QStringLiteral("persistent://t/ns/a/")
                                    << QStringLiteral("Invalid topic name: persistent://t/ns/a/");
    QTest::addRow("empty namespace") << QStringLiteral("persistent://t//x")
                                     << QStringLiteral("Invalid namespace format. namespace: t/");
    QTest::addRow("empty tenant") << QStringLiteral("persistent:///ns/x")
                                  << QStringLiteral("Invalid namespace format. namespace: /ns");
    QTest::addRow("empty checked before chars")
        << QStringLiteral("persistent:///n s/x") << QStringLiteral("Invalid namespace format. namespace: /n s");
    QTest::addRow("v1 empty cluster") << QStringLiteral("persistent://t//ns/x")
                                      << QStringLiteral("Invalid namespace format. namespace: t//ns");
    QTest::addRow("v1 empty namespace") << QStringLiteral("persistent://t/ns//x")
                                        << QStringLiteral("Invalid namespace format. namespace: t/ns/");
    QTest::addRow("tenant with space") << QStringLiteral("persistent://t a/ns/x")
                                       << QStringLiteral("Invalid named entity: t a");
    QTest::addRow("tenant checked first")
        << QStringLiteral("persistent://a b/c d/x") << QStringLiteral("Invalid named entity: a b");
    QTest::addRow("namespace with percent")
        << QStringLiteral("persistent://t/n%41/x") << QStringLiteral("Invalid named entity: n%41");
    QTest::addRow("namespace with star") << QStringLiteral("persistent://t/ns*/x")
                                         << QStringLiteral("Invalid named entity: ns*");
    QTest::addRow("namespace with plus") << QStringLiteral("persistent://t/n+s/x")
                                         << QStringLiteral("Invalid named entity: n+s");
    QTest::addRow("non-ascii tenant") << QStringLiteral(u"persistent://tenänt/ns/x")
                                      << QStringLiteral(u"Invalid named entity: tenänt");
    QTest::addRow("non-ascii digit tenant")
        << QStringLiteral(u"persistent://t\u0663/ns/x") << QStringLiteral(u"Invalid named entity: t\u0663");
    QTest::addRow("v1 bad cluster") << QStringLiteral("persistent://p/c!/ns/x")
                                    << QStringLiteral("Invalid named entity: c!");
    QTest::addRow("v1 bad namespace") << QStringLiteral("persistent://p/c/n s/x")
                                      << QStringLiteral("Invalid named entity: n s");
    QTest::addRow("slashed local makes bad namespace")
        << QStringLiteral("persistent://t/ns/a b/c") << QStringLiteral("Invalid named entity: a b");
    QTest::addRow("second scheme in tenant")
        << QStringLiteral("persistent://a://b/c") << QStringLiteral("Invalid namespace format. namespace: a://b");
}

void Tst_topicname::parseErrors()
{
    QFETCH(QString, input);
    QFETCH(QString, error);

    const Result<TopicName> result = TopicName::parse(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidTopicName);
    QCOMPARE(result.error().message, error);
}

void Tst_topicname::partitionIndex_data()
{
    QTest::addColumn<QString>("local");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("baseLocal");

    QTest::addRow("plain") << QStringLiteral("x") << -1 << QStringLiteral("x");
    QTest::addRow("zero") << QStringLiteral("x-partition-0") << 0 << QStringLiteral("x");
    QTest::addRow("twelve") << QStringLiteral("x-partition-12") << 12 << QStringLiteral("x");
    QTest::addRow("negative") << QStringLiteral("x-partition--1") << -1 << QStringLiteral("x-partition--1");
    QTest::addRow("minus zero") << QStringLiteral("x-partition--0") << -1 << QStringLiteral("x-partition--0");
    QTest::addRow("leading zero") << QStringLiteral("x-partition-01") << -1 << QStringLiteral("x-partition-01");
    QTest::addRow("plus sign") << QStringLiteral("x-partition-+1") << -1 << QStringLiteral("x-partition-+1");
    QTest::addRow("empty number") << QStringLiteral("x-partition-") << -1 << QStringLiteral("x-partition-");
    QTest::addRow("letters") << QStringLiteral("x-partition-a") << -1 << QStringLiteral("x-partition-a");
    QTest::addRow("trailing letter") << QStringLiteral("x-partition-1a") << -1 << QStringLiteral("x-partition-1a");
    QTest::addRow("trailing space") << QStringLiteral("x-partition-1 ") << -1 << QStringLiteral("x-partition-1 ");
    QTest::addRow("last occurrence wins")
        << QStringLiteral("x-partition-1-partition-2") << 2 << QStringLiteral("x-partition-1");
    QTest::addRow("last occurrence empty")
        << QStringLiteral("x-partition-2-partition-") << -1 << QStringLiteral("x-partition-2-partition-");
    QTest::addRow("int max") << QStringLiteral("x-partition-2147483647") << 2147483647 << QStringLiteral("x");
    QTest::addRow("int overflow") << QStringLiteral("x-partition-2147483648") << -1
                                  << QStringLiteral("x-partition-2147483648");
    QTest::addRow("only suffix") << QStringLiteral("-partition-3") << 3 << QString();
    QTest::addRow("upper case") << QStringLiteral("x-PARTITION-1") << -1 << QStringLiteral("x-PARTITION-1");
    QTest::addRow("underscores") << QStringLiteral("x_partition_1") << -1 << QStringLiteral("x_partition_1");
    // Integer.parseInt takes any Unicode decimal digit.
    QTest::addRow("arabic-indic digit") << QStringLiteral(u"x-partition-\u0661") << 1 << QStringLiteral("x");
    QTest::addRow("fullwidth digits") << QStringLiteral(u"x-partition-\uFF11\uFF12") << 12 << QStringLiteral("x");
}

void Tst_topicname::partitionIndex()
{
    QFETCH(QString, local);
    QFETCH(int, index);
    QFETCH(QString, baseLocal);

    const Result<TopicName> topic = TopicName::parse(QStringLiteral("persistent://t/ns/") + local);
    QVERIFY(topic.ok());
    QCOMPARE(topic->partitionIndex(), index);
    QCOMPARE(topic->isPartitioned(), index != -1);
    QCOMPARE(topic->partitionedTopicName(), QStringLiteral("persistent://t/ns/") + baseLocal);
    QCOMPARE(TopicName::partitionIndexOf(topic->toString()), index);
}

void Tst_topicname::partition_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("expectedIndex");

    QTest::addRow("first") << QStringLiteral("persistent://t/ns/x") << 0
                           << QStringLiteral("persistent://t/ns/x-partition-0") << 0;
    QTest::addRow("third") << QStringLiteral("persistent://t/ns/x") << 3
                           << QStringLiteral("persistent://t/ns/x-partition-3") << 3;
    QTest::addRow("minus one is self") << QStringLiteral("persistent://t/ns/x") << -1
                                       << QStringLiteral("persistent://t/ns/x") << -1;
    QTest::addRow("already that partition") << QStringLiteral("persistent://t/ns/x-partition-3") << 3
                                            << QStringLiteral("persistent://t/ns/x-partition-3") << 3;
    QTest::addRow("partition of a partition") << QStringLiteral("persistent://t/ns/x-partition-3") << 1
                                              << QStringLiteral("persistent://t/ns/x-partition-3-partition-1") << 1;
    QTest::addRow("negative index") << QStringLiteral("persistent://t/ns/x") << -2
                                    << QStringLiteral("persistent://t/ns/x-partition--2") << -1;
    QTest::addRow("v1") << QStringLiteral("persistent://p/c/ns/x") << 2
                        << QStringLiteral("persistent://p/c/ns/x-partition-2") << 2;
    QTest::addRow("short form") << QStringLiteral("x") << 5
                                << QStringLiteral("persistent://public/default/x-partition-5") << 5;
}

void Tst_topicname::partition()
{
    QFETCH(QString, name);
    QFETCH(int, index);
    QFETCH(QString, expected);
    QFETCH(int, expectedIndex);

    const Result<TopicName> topic = TopicName::parse(name);
    QVERIFY(topic.ok());
    const TopicName part = topic->partition(index);
    QCOMPARE(part.toString(), expected);
    QCOMPARE(part.partitionIndex(), expectedIndex);
}

void Tst_topicname::restPath_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("restPath");
    QTest::addColumn<QString>("encodedLocal");

    QTest::addRow("v2") << QStringLiteral("persistent://t/ns/my-topic") << QStringLiteral("persistent/t/ns/my-topic")
                        << QStringLiteral("my-topic");
    QTest::addRow("non-persistent") << QStringLiteral("non-persistent://t/ns/x")
                                    << QStringLiteral("non-persistent/t/ns/x") << QStringLiteral("x");
    QTest::addRow("short") << QStringLiteral("x") << QStringLiteral("persistent/public/default/x")
                           << QStringLiteral("x");
    QTest::addRow("v1") << QStringLiteral("persistent://p/c/ns/x") << QStringLiteral("persistent/p/c/ns/x")
                        << QStringLiteral("x");
    QTest::addRow("v1 slashed") << QStringLiteral("persistent://p/c/ns/a/b")
                                << QStringLiteral("persistent/p/c/ns/a%2Fb") << QStringLiteral("a%2Fb");
    QTest::addRow("space plus percent") << QStringLiteral("persistent://t/ns/a b+c%d")
                                        << QStringLiteral("persistent/t/ns/a+b%2Bc%25d")
                                        << QStringLiteral("a+b%2Bc%25d");
    QTest::addRow("brackets") << QStringLiteral("persistent://t/ns/[]<>")
                              << QStringLiteral("persistent/t/ns/%5B%5D%3C%3E") << QStringLiteral("%5B%5D%3C%3E");
    QTest::addRow("cjk") << QStringLiteral(u"persistent://t/ns/主题")
                         << QStringLiteral("persistent/t/ns/%E4%B8%BB%E9%A2%98")
                         << QStringLiteral("%E4%B8%BB%E9%A2%98");
    QTest::addRow("upper domain normalised")
        << QStringLiteral("NON-PERSISTENT://t/ns/x") << QStringLiteral("non-persistent/t/ns/x") << QStringLiteral("x");
}

void Tst_topicname::restPath()
{
    QFETCH(QString, name);
    QFETCH(QString, restPath);
    QFETCH(QString, encodedLocal);

    const Result<TopicName> topic = TopicName::parse(name);
    QVERIFY(topic.ok());
    QCOMPARE(topic->restPath(), restPath);
    QCOMPARE(topic->encodedLocalName(), encodedLocal);
}

void Tst_topicname::encode_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("encoded");

    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("alnum") << QStringLiteral("abcXYZ019") << QStringLiteral("abcXYZ019");
    QTest::addRow("kept marks") << QStringLiteral("-_.*") << QStringLiteral("-_.*");
    QTest::addRow("space") << QStringLiteral(" ") << QStringLiteral("+");
    QTest::addRow("plus") << QStringLiteral("+") << QStringLiteral("%2B");
    QTest::addRow("percent") << QStringLiteral("%") << QStringLiteral("%25");
    QTest::addRow("slash") << QStringLiteral("/") << QStringLiteral("%2F");
    QTest::addRow("query chars") << QStringLiteral("&=#?") << QStringLiteral("%26%3D%23%3F");
    QTest::addRow("tilde") << QStringLiteral("~") << QStringLiteral("%7E");
    QTest::addRow("brackets") << QStringLiteral("[]<>") << QStringLiteral("%5B%5D%3C%3E");
    QTest::addRow("colon at") << QStringLiteral(":@") << QStringLiteral("%3A%40");
    QTest::addRow("sub-delims") << QStringLiteral("!$'(),;") << QStringLiteral("%21%24%27%28%29%2C%3B");
    QTest::addRow("quote backslash") << QStringLiteral("\"\\") << QStringLiteral("%22%5C");
    QTest::addRow("braces pipe caret backtick") << QStringLiteral("{}|^`") << QStringLiteral("%7B%7D%7C%5E%60");
    QTest::addRow("controls") << QStringLiteral("\t\n\r") << QStringLiteral("%09%0A%0D");
    QTest::addRow("nul") << QString(QChar(0)) << QStringLiteral("%00");
    QTest::addRow("delete") << QString(QChar(0x7F)) << QStringLiteral("%7F");
    QTest::addRow("latin-1") << QStringLiteral(u"é") << QStringLiteral("%C3%A9");
    QTest::addRow("euro") << QStringLiteral(u"€") << QStringLiteral("%E2%82%AC");
    QTest::addRow("cjk") << QStringLiteral(u"主题") << QStringLiteral("%E4%B8%BB%E9%A2%98");
    QTest::addRow("emoji") << QStringLiteral(u"😀") << QStringLiteral("%F0%9F%98%80");
    // Java's UTF-8 encoder replaces an unpaired surrogate with '?'.
    QTest::addRow("lone high surrogate") << (QString(QChar(0xD83D)) + u'a') << QStringLiteral("%3Fa");
    QTest::addRow("lone low surrogate") << QString(QChar(0xDE00)) << QStringLiteral("%3F");
    QTest::addRow("high at end") << (u'a' + QString(QChar(0xD83D))) << QStringLiteral("a%3F");
    QTest::addRow("mixed") << QStringLiteral("a b+c%d") << QStringLiteral("a+b%2Bc%25d");
    QTest::addRow("all ascii specials") << QStringLiteral("~!*'();:@&=+$,?#")
                                        << QStringLiteral("%7E%21*%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23");
}

void Tst_topicname::encode()
{
    QFETCH(QString, input);
    QFETCH(QString, encoded);
    QCOMPARE(TopicName::encodeComponent(input), encoded);
}

void Tst_topicname::decode_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("decoded");

    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("plain") << QStringLiteral("my-topic") << QStringLiteral("my-topic");
    QTest::addRow("plus is space") << QStringLiteral("a+b") << QStringLiteral("a b");
    QTest::addRow("pluses") << QStringLiteral("+++") << QStringLiteral("   ");
    QTest::addRow("encoded plus") << QStringLiteral("%2B") << QStringLiteral("+");
    QTest::addRow("lower-case hex") << QStringLiteral("%2b%2f") << QStringLiteral("+/");
    QTest::addRow("encoded space") << QStringLiteral("a%20b") << QStringLiteral("a b");
    QTest::addRow("encoded percent") << QStringLiteral("100%25") << QStringLiteral("100%");
    QTest::addRow("run of escapes") << QStringLiteral("%41%42C") << QStringLiteral("ABC");
    QTest::addRow("cjk escaped") << QStringLiteral("%E4%B8%BB%E9%A2%98") << QStringLiteral(u"主题");
    QTest::addRow("cjk raw passes") << QStringLiteral(u"主题") << QStringLiteral(u"主题");
    QTest::addRow("emoji") << QStringLiteral("%F0%9F%98%80") << QStringLiteral(u"😀");
    QTest::addRow("utf-8 split by text") << QStringLiteral("%C3x") << (QString(QChar(0xFFFD)) + u'x');
    QTest::addRow("invalid byte") << QStringLiteral("%FF") << QString(QChar(0xFFFD));
    QTest::addRow("tilde and star raw") << QStringLiteral("~*") << QStringLiteral("~*");
    // Integer.parseInt(s, i, i + 2, 16) accepts a sign and any Unicode digit, and so does URLDecoder.
    QTest::addRow("plus sign in escape") << QStringLiteral("%+1") << QString(QChar(1));
    QTest::addRow("minus zero in escape") << QStringLiteral("%-0") << QString(QChar(0));
    QTest::addRow("fullwidth digits in escape") << QStringLiteral(u"%\uFF14\uFF11") << QStringLiteral("A");
    QTest::addRow("fullwidth letters in escape") << QStringLiteral(u"%3\uFF21") << QStringLiteral(":");
}

void Tst_topicname::decode()
{
    QFETCH(QString, input);
    QFETCH(QString, decoded);

    const Result<QString> result = TopicName::decodeComponent(input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(*result, decoded);
}

void Tst_topicname::decodeErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");

    const QString incomplete = QStringLiteral("URLDecoder: Incomplete trailing escape (%) pattern");
    const QString illegal = QStringLiteral("URLDecoder: Illegal hex characters in escape (%) pattern - ");
    QTest::addRow("lone percent") << QStringLiteral("%") << incomplete;
    QTest::addRow("one digit at end") << QStringLiteral("abc%4") << incomplete;
    QTest::addRow("percent after escape") << QStringLiteral("%41%") << incomplete;
    QTest::addRow("percent after two") << QStringLiteral("%41%4") << incomplete;
    QTest::addRow("not hex") << QStringLiteral("%zz") << (illegal + QStringLiteral("Error at index 0 in: \"zz\""));
    QTest::addRow("second not hex") << QStringLiteral("a%4zb")
                                    << (illegal + QStringLiteral("Error at index 1 in: \"4z\""));
    QTest::addRow("space in escape") << QStringLiteral("% 1")
                                     << (illegal + QStringLiteral("Error at index 0 in: \" 1\""));
    QTest::addRow("sign then letter") << QStringLiteral("%+z")
                                      << (illegal + QStringLiteral("Error at index 1 in: \"+z\""));
    QTest::addRow("negative") << QStringLiteral("%-1") << (illegal + QStringLiteral("negative value"));
    QTest::addRow("bad escape later in run")
        << QStringLiteral("%41%G1") << (illegal + QStringLiteral("Error at index 0 in: \"G1\""));
}

void Tst_topicname::decodeErrors()
{
    QFETCH(QString, input);
    QFETCH(QString, error);

    const Result<QString> result = TopicName::decodeComponent(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, error);
}

void Tst_topicname::encodeDecodeRoundTrip_data()
{
    QTest::addColumn<QString>("text");

    QTest::addRow("plain") << QStringLiteral("my-topic");
    QTest::addRow("spaces and plus") << QStringLiteral(" a + b ");
    QTest::addRow("percent forms") << QStringLiteral("%41%zz%");
    QTest::addRow("slashes") << QStringLiteral("a/b//c/");
    QTest::addRow("all ascii") << QStringLiteral("~!*'();:@&=+$,?#[]<>{}|\\^`\"");
    QTest::addRow("cjk") << QStringLiteral(u"主题/订阅 テスト");
    QTest::addRow("emoji") << QStringLiteral(u"😀 ok");
    QTest::addRow("controls") << QStringLiteral("\t\r\n");
}

void Tst_topicname::encodeDecodeRoundTrip()
{
    QFETCH(QString, text);
    const Result<QString> decoded = TopicName::decodeComponent(TopicName::encodeComponent(text));
    QVERIFY(decoded.ok());
    QCOMPARE(*decoded, text);
}

void Tst_topicname::namedEntity_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::addRow("empty") << QString() << true;
    QTest::addRow("all allowed") << QStringLiteral("aZ09_-=:.") << true;
    QTest::addRow("space") << QStringLiteral("a b") << false;
    QTest::addRow("slash") << QStringLiteral("a/b") << false;
    QTest::addRow("percent") << QStringLiteral("a%20") << false;
    QTest::addRow("star") << QStringLiteral("a*") << false;
    QTest::addRow("plus") << QStringLiteral("a+") << false;
    QTest::addRow("tilde") << QStringLiteral("a~") << false;
    QTest::addRow("at") << QStringLiteral("a@b") << false;
    QTest::addRow("trailing newline") << QStringLiteral("a\n") << false;
    QTest::addRow("latin-1 letter") << QStringLiteral(u"ä") << false;
    QTest::addRow("non-ascii digit") << QStringLiteral(u"\u0663") << false;
}

void Tst_topicname::namedEntity()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(NamespaceName::isValidNamedEntity(name), valid);
}

void Tst_topicname::namespaceParse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("cluster");
    QTest::addColumn<QString>("error");

    const auto wrapped = [](const QString &name) -> QString {
        return QStringLiteral("Invalid namespace format. expected <tenant>/<namespace> or "
                              "<tenant>/<cluster>/<namespace> but got: ") +
               name;
    };
    QTest::addRow("v2") << QStringLiteral("t/ns") << QStringLiteral("t/ns") << QString() << QString();
    QTest::addRow("v1") << QStringLiteral("p/c/ns") << QStringLiteral("p/c/ns") << QStringLiteral("c") << QString();
    QTest::addRow("named-entity chars") << QStringLiteral("my-tenant/my_ns.1:=")
                                        << QStringLiteral("my-tenant/my_ns.1:=") << QString() << QString();
    // String.split drops trailing empty parts, so Pulsar accepts these.
    QTest::addRow("trailing slash") << QStringLiteral("t/ns/") << QStringLiteral("t/ns") << QString() << QString();
    QTest::addRow("trailing slashes") << QStringLiteral("t/ns//") << QStringLiteral("t/ns") << QString() << QString();
    QTest::addRow("empty") << QString() << QString() << QString() << QStringLiteral("Invalid null namespace: ");
    QTest::addRow("one part") << QStringLiteral("t") << QString() << QString() << wrapped(QStringLiteral("t"));
    QTest::addRow("only slash") << QStringLiteral("/") << QString() << QString() << wrapped(QStringLiteral("/"));
    QTest::addRow("leading slash") << QStringLiteral("/ns") << QString() << QString() << wrapped(QStringLiteral("/ns"));
    QTest::addRow("leading slash three") << QStringLiteral("/t/ns") << QString() << QString()
                                         << wrapped(QStringLiteral("/t/ns"));
    QTest::addRow("empty middle") << QStringLiteral("t//ns") << QString() << QString()
                                  << wrapped(QStringLiteral("t//ns"));
    QTest::addRow("four parts") << QStringLiteral("a/b/c/d") << QString() << QString()
                                << wrapped(QStringLiteral("a/b/c/d"));
    QTest::addRow("bad chars") << QStringLiteral("t/n s") << QString() << QString() << wrapped(QStringLiteral("t/n s"));
    QTest::addRow("bad cluster") << QStringLiteral("p/c!/ns") << QString() << QString()
                                 << wrapped(QStringLiteral("p/c!/ns"));
}

void Tst_topicname::namespaceParse()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, cluster);
    QFETCH(QString, error);

    const Result<NamespaceName> result = NamespaceName::parse(input);
    if (error.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(result->toString(), expected);
        QCOMPARE(result->cluster(), cluster);
        QCOMPARE(result->isV2(), cluster.isEmpty());
        QVERIFY(result->isValid());
    } else {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidNamespaceName);
        QCOMPARE(result.error().message, error);
    }
}

void Tst_topicname::namespaceFromParts_data()
{
    QTest::addColumn<QStringList>("parts");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    QTest::addRow("v2") << QStringList{QStringLiteral("t"), QStringLiteral("ns")} << QStringLiteral("t/ns")
                        << QString();
    QTest::addRow("v1") << QStringList{QStringLiteral("p"), QStringLiteral("c"), QStringLiteral("ns")}
                        << QStringLiteral("p/c/ns") << QString();
    QTest::addRow("empty namespace") << QStringList{QStringLiteral("t"), QString()} << QString()
                                     << QStringLiteral("Invalid namespace format. namespace: t/");
    QTest::addRow("empty tenant") << QStringList{QString(), QStringLiteral("ns")} << QString()
                                  << QStringLiteral("Invalid namespace format. namespace: /ns");
    QTest::addRow("bad tenant") << QStringList{QStringLiteral("t!"), QStringLiteral("ns")} << QString()
                                << QStringLiteral("Invalid named entity: t!");
    QTest::addRow("slash in namespace") << QStringList{QStringLiteral("t"), QStringLiteral("n/s")} << QString()
                                        << QStringLiteral("Invalid named entity: n/s");
    QTest::addRow("v1 empty cluster") << QStringList{QStringLiteral("p"), QString(), QStringLiteral("ns")} << QString()
                                      << QStringLiteral("Invalid namespace format. namespace: p//ns");
    QTest::addRow("v1 bad namespace") << QStringList{QStringLiteral("p"), QStringLiteral("c"), QStringLiteral("n s")}
                                      << QString() << QStringLiteral("Invalid named entity: n s");
    QTest::addRow("v1 bad cluster first")
        << QStringList{QStringLiteral("p"), QStringLiteral("c c"), QStringLiteral("n s")} << QString()
        << QStringLiteral("Invalid named entity: c c");
}

void Tst_topicname::namespaceFromParts()
{
    QFETCH(QStringList, parts);
    QFETCH(QString, expected);
    QFETCH(QString, error);

    const Result<NamespaceName> result = parts.size() == 2 ? NamespaceName::fromParts(parts[0], parts[1])
                                                           : NamespaceName::fromParts(parts[0], parts[1], parts[2]);
    if (error.isEmpty()) {
        QVERIFY(result.ok());
        QCOMPARE(result->toString(), expected);
        QCOMPARE(result->tenant(), parts.first());
        QCOMPARE(result->localName(), parts.last());
    } else {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidNamespaceName);
        QCOMPARE(result.error().message, error);
    }
}

void Tst_topicname::equalityAndHash()
{
    const TopicName a = *TopicName::parse(QStringLiteral("my-topic"));
    const TopicName b = *TopicName::parse(QStringLiteral("PERSISTENT://public/default/my-topic"));
    const TopicName c = *TopicName::parse(QStringLiteral("non-persistent://public/default/my-topic"));
    QCOMPARE(a, b);
    QVERIFY(a != c);
    QCOMPARE(qHash(a), qHash(b));
    const QSet<TopicName> set{a, b, c};
    QCOMPARE(set.size(), 2);
    QVERIFY(set.contains(*TopicName::parse(QStringLiteral("public/default/my-topic"))));
}

void Tst_topicname::defaultConstructed()
{
    const TopicName topic;
    QVERIFY(!topic.isValid());
    QCOMPARE(topic.toString(), QString());
    QCOMPARE(topic.partitionIndex(), -1);
    QVERIFY(!topic.namespaceName().isValid());
    QVERIFY(topic != *TopicName::parse(QStringLiteral("x")));
}

QTEST_GUILESS_MAIN(Tst_topicname)
#include "tst_topicname.moc"
