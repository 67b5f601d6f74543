#include "protocol/endpoint.h"

#include <QtTest>

using namespace Pulsar;

using Query = QList<QPair<QString, QString>>;
Q_DECLARE_METATYPE(Pulsar::Endpoint)
Q_DECLARE_METATYPE(Pulsar::ErrorCode)
Q_DECLARE_METATYPE(Query)

namespace {

TopicName topic(const QString &name)
{
    const Result<TopicName> result = TopicName::parse(name);
    if (!result.ok())
        qFatal("bad test topic %s: %s", qPrintable(name), qPrintable(result.error().message));
    return *result;
}

QString describe(const Endpoint &e)
{
    return QStringLiteral("kind=%1 version=%2 topic=%3 sub=%4 topics=%5 pattern=%6")
        .arg(int(e.kind))
        .arg(int(e.version))
        .arg(e.topic.toString(), e.subscription, e.topics.join(u'|'), e.topicsPattern);
}

// The path and decoded query of a URL we built, split the way a server would (our query values never use '+').
void splitUrl(const QByteArray &url, QByteArray *path, Query *query)
{
    const qsizetype authorityStart = url.indexOf("://") + 3;
    const qsizetype pathStart = url.indexOf('/', authorityStart);
    const qsizetype queryStart = url.indexOf('?');
    *path = url.mid(pathStart, queryStart < 0 ? -1 : queryStart - pathStart);
    query->clear();
    if (queryStart < 0)
        return;
    for (const QByteArray &item : url.mid(queryStart + 1).split('&')) {
        const qsizetype eq = item.indexOf('=');
        const Result<QString> name = TopicName::decodeComponent(QString::fromLatin1(item.left(eq)));
        const Result<QString> value = TopicName::decodeComponent(QString::fromLatin1(item.mid(eq + 1)));
        QVERIFY(name.ok() && value.ok());
        query->append({*name, *value});
    }
}

} // namespace

// Endpoint URLs as the client builds them and as Pulsar's handlers (era R) read them: spec 1.2, 1.3, 5.1 and
// conformance items 1, 4, 32, 33.
class Tst_endpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void factories();
    void path_data();
    void path();
    void url_data();
    void url();
    void badServiceUrl_data();
    void badServiceUrl();
    void isWebSocketPath_data();
    void isWebSocketPath();
    void parse_data();
    void parse();
    void parseErrors_data();
    void parseErrors();
    void handshake_data();
    void handshake();
    void stripPrefix_data();
    void stripPrefix();
    void firstQueryValue_data();
    void firstQueryValue();
    void roundTrip_data();
    void roundTrip();
};

void Tst_endpoint::factories()
{
    const Endpoint p = Endpoint::producer(topic(QStringLiteral("persistent://t/ns/x")));
    QCOMPARE(p.kind, EndpointKind::Producer);
    QCOMPARE(p.version, ApiVersion::V2);
    QVERIFY(p.subscription.isEmpty() && p.topics.isEmpty() && p.topicsPattern.isEmpty());

    const Endpoint c = Endpoint::consumer(topic(QStringLiteral("persistent://p/c/ns/x")), QStringLiteral("s"));
    QCOMPARE(c.kind, EndpointKind::Consumer);
    QCOMPARE(c.version, ApiVersion::V1);
    QCOMPARE(c.subscription, QStringLiteral("s"));

    const Endpoint r = Endpoint::reader(topic(QStringLiteral("non-persistent://t/ns/x")));
    QCOMPARE(r.kind, EndpointKind::Reader);
    QCOMPARE(r.version, ApiVersion::V2);

    const Endpoint m =
        Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("a")), topic(QStringLiteral("t/ns/b"))});
    QCOMPARE(m.kind, EndpointKind::MultiTopicConsumer);
    QCOMPARE(m.version, ApiVersion::V3);
    QCOMPARE(m.topic.toString(), QStringLiteral("persistent://public/default/a"));
    QCOMPARE(m.topics,
             (QStringList{QStringLiteral("persistent://public/default/a"), QStringLiteral("persistent://t/ns/b")}));

    const Endpoint pt = Endpoint::multiTopicPattern(QStringLiteral("s"), QStringLiteral("t/ns/foo.*"));
    QCOMPARE(pt.version, ApiVersion::V3);
    QCOMPARE(pt.topic.toString(), QStringLiteral("persistent://t/ns/foo.*"));
    QCOMPARE(pt.topicsPattern, QStringLiteral("t/ns/foo.*"));
    QVERIFY(pt.topics.isEmpty());
    QVERIFY(!Endpoint::multiTopicPattern(QStringLiteral("s"), QStringLiteral("a/b")).topic.isValid());
}

void Tst_endpoint::path_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QString>("path");

    const TopicName v2 = topic(QStringLiteral("persistent://t/ns/my-topic"));
    const TopicName v1 = topic(QStringLiteral("persistent://prop/cluster/ns/topic"));
    QTest::addRow("v2 producer") << Endpoint::producer(v2)
                                 << QStringLiteral("/ws/v2/producer/persistent/t/ns/my-topic");
    QTest::addRow("v2 consumer") << Endpoint::consumer(v2, QStringLiteral("my-sub"))
                                 << QStringLiteral("/ws/v2/consumer/persistent/t/ns/my-topic/my-sub");
    QTest::addRow("v2 reader non-persistent") << Endpoint::reader(topic(QStringLiteral("non-persistent://t/ns/x")))
                                              << QStringLiteral("/ws/v2/reader/non-persistent/t/ns/x");
    QTest::addRow("v1 producer") << Endpoint::producer(v1)
                                 << QStringLiteral("/ws/producer/persistent/prop/cluster/ns/topic");
    QTest::addRow("v1 consumer") << Endpoint::consumer(v1, QStringLiteral("sub"))
                                 << QStringLiteral("/ws/consumer/persistent/prop/cluster/ns/topic/sub");
    QTest::addRow("v1 reader") << Endpoint::reader(v1) << QStringLiteral("/ws/reader/persistent/prop/cluster/ns/topic");
    QTest::addRow("v1 slashed local") << Endpoint::producer(topic(QStringLiteral("persistent://p/c/ns/a/b")))
                                      << QStringLiteral("/ws/producer/persistent/p/c/ns/a%2Fb");
    QTest::addRow("short name") << Endpoint::producer(topic(QStringLiteral("x")))
                                << QStringLiteral("/ws/v2/producer/persistent/public/default/x");
    QTest::addRow("space plus percent") << Endpoint::consumer(topic(QStringLiteral("t/ns/a b+c%d")),
                                                              QStringLiteral("s u+b"))
                                        << QStringLiteral("/ws/v2/consumer/persistent/t/ns/a+b%2Bc%25d/s+u%2Bb");
    QTest::addRow("brackets") << Endpoint::consumer(topic(QStringLiteral("t/ns/[]<>")), QStringLiteral("<sub>"))
                              << QStringLiteral("/ws/v2/consumer/persistent/t/ns/%5B%5D%3C%3E/%3Csub%3E");
    QTest::addRow("cjk") << Endpoint::consumer(topic(QStringLiteral(u"t/ns/主题")), QStringLiteral(u"订阅"))
                         << QStringLiteral("/ws/v2/consumer/persistent/t/ns/%E4%B8%BB%E9%A2%98/%E8%AE%A2%E9%98%85");
    QTest::addRow("query and fragment chars")
        << Endpoint::consumer(topic(QStringLiteral("t/ns/a?b#c")), QStringLiteral("a&b=c"))
        << QStringLiteral("/ws/v2/consumer/persistent/t/ns/a%3Fb%23c/a%26b%3Dc");
    QTest::addRow("slash in subscription") << Endpoint::consumer(v2, QStringLiteral("a/b"))
                                           << QStringLiteral("/ws/v2/consumer/persistent/t/ns/my-topic/a%2Fb");
    QTest::addRow("tilde kept literal") << Endpoint::consumer(topic(QStringLiteral("t/ns/~x")), QStringLiteral("~"))
                                        << QStringLiteral("/ws/v2/consumer/persistent/t/ns/~x/~");
    QTest::addRow("named-entity chars in namespace") << Endpoint::producer(topic(QStringLiteral("t=1/n:s.2/x")))
                                                     << QStringLiteral("/ws/v2/producer/persistent/t=1/n:s.2/x");
    QTest::addRow("empty subscription") << Endpoint::consumer(v2, QString())
                                        << QStringLiteral("/ws/v2/consumer/persistent/t/ns/my-topic/");
    QTest::addRow("v3 topics") << Endpoint::multiTopic(QStringLiteral("sub1"), {topic(QStringLiteral("t1"))})
                               << QStringLiteral("/ws/v3/consumer/sub1");
    QTest::addRow("v3 pattern encoded sub")
        << Endpoint::multiTopicPattern(QStringLiteral("a/b c"), QStringLiteral("x.*"))
        << QStringLiteral("/ws/v3/consumer/a%2Fb+c");
}

void Tst_endpoint::path()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QString, path);
    QCOMPARE(endpointPath(endpoint), path);
}

void Tst_endpoint::url_data()
{
    QTest::addColumn<QString>("serviceUrl");
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<Query>("query");
    QTest::addColumn<QByteArray>("expected");

    const Endpoint producer = Endpoint::producer(topic(QStringLiteral("persistent://t/ns/x")));
    const Endpoint consumer = Endpoint::consumer(topic(QStringLiteral("persistent://t/ns/x")), QStringLiteral("sub"));
    const QByteArray p = "/ws/v2/producer/persistent/t/ns/x";
    QTest::addRow("ws") << QStringLiteral("ws://localhost:8080") << producer << Query() << ("ws://localhost:8080" + p);
    QTest::addRow("ws trailing slash") << QStringLiteral("ws://localhost:8080/") << producer << Query()
                                       << ("ws://localhost:8080" + p);
    QTest::addRow("wss") << QStringLiteral("wss://pulsar.example.com:8443") << producer << Query()
                         << ("wss://pulsar.example.com:8443" + p);
    QTest::addRow("http becomes ws") << QStringLiteral("http://localhost:8080") << producer << Query()
                                     << ("ws://localhost:8080" + p);
    QTest::addRow("https becomes wss") << QStringLiteral("https://host") << producer << Query() << ("wss://host" + p);
    QTest::addRow("upper-case scheme and host")
        << QStringLiteral("WS://HOST:8080") << producer << Query() << ("ws://host:8080" + p);
    QTest::addRow("ipv6") << QStringLiteral("ws://[::1]:8080") << producer << Query() << ("ws://[::1]:8080" + p);
    QTest::addRow("prefix") << QStringLiteral("wss://host/some/prefix") << producer << Query()
                            << ("wss://host/some/prefix" + p);
    QTest::addRow("prefix trailing slash")
        << QStringLiteral("wss://host/some/prefix/") << producer << Query() << ("wss://host/some/prefix" + p);
    QTest::addRow("prefix double trailing slash")
        << QStringLiteral("https://host/pulsar//") << producer << Query() << ("wss://host/pulsar" + p);
    QTest::addRow("encoded prefix") << QStringLiteral("ws://host/a%20b/") << producer << Query()
                                    << ("ws://host/a%20b" + p);
    QTest::addRow("v1") << QStringLiteral("ws://h")
                        << Endpoint::reader(topic(QStringLiteral("persistent://p/c/ns/a/b"))) << Query()
                        << QByteArray("ws://h/ws/reader/persistent/p/c/ns/a%2Fb");
    QTest::addRow("query items") << QStringLiteral("ws://h") << consumer
                                 << Query{{QStringLiteral("subscriptionType"), QStringLiteral("Shared")},
                                          {QStringLiteral("receiverQueueSize"), QStringLiteral("10")}}
                                 << QByteArray("ws://h/ws/v2/consumer/persistent/t/ns/x/sub"
                                               "?subscriptionType=Shared&receiverQueueSize=10");
    QTest::addRow("query specials") << QStringLiteral("ws://h") << producer
                                    << Query{{QStringLiteral("token"), QStringLiteral("a+b/c=d&e#f%g h")}}
                                    << ("ws://h" + p + "?token=a%2Bb%2Fc%3Dd%26e%23f%25g%20h");
    QTest::addRow("query name encoded") << QStringLiteral("ws://h") << producer
                                        << Query{{QStringLiteral("a b&c"), QString()}}
                                        << ("ws://h" + p + "?a%20b%26c=");
    QTest::addRow("query cjk and tilde") << QStringLiteral("ws://h") << producer
                                         << Query{{QStringLiteral("producerName"), QStringLiteral(u"生产者~1")}}
                                         << ("ws://h" + p + "?producerName=%E7%94%9F%E4%BA%A7%E8%80%85~1");
    QTest::addRow("repeated query kept in order")
        << QStringLiteral("ws://h") << producer
        << Query{{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("a"), QStringLiteral("2")}}
        << ("ws://h" + p + "?a=1&a=2");
    QTest::addRow("v3 topics") << QStringLiteral("ws://h")
                               << Endpoint::multiTopic(QStringLiteral("sub1"),
                                                       {topic(QStringLiteral("t1")), topic(QStringLiteral("t2"))})
                               << Query()
                               << QByteArray(
                                      "ws://h/ws/v3/consumer/sub1?topics=persistent%3A%2F%2Fpublic%2Fdefault%2Ft1"
                                      "%2Cpersistent%3A%2F%2Fpublic%2Fdefault%2Ft2");
    QTest::addRow("v3 pattern then items")
        << QStringLiteral("wss://h/pre/")
        << Endpoint::multiTopicPattern(QStringLiteral("sub2"), QStringLiteral("my-property/my-ns/testMultiTopics.*"))
        << Query{{QStringLiteral("subscriptionType"), QStringLiteral("Shared")}}
        << QByteArray("wss://h/pre/ws/v3/consumer/sub2"
                      "?topicsPattern=my-property%2Fmy-ns%2FtestMultiTopics.*"
                      "&subscriptionType=Shared");
    QTest::addRow("v3 regex pattern") << QStringLiteral("ws://h")
                                      << Endpoint::multiTopicPattern(
                                             QStringLiteral("s"),
                                             QStringLiteral("persistent://public/default/f-(a|b)+\\d?"))
                                      << Query()
                                      << QByteArray("ws://h/ws/v3/consumer/s?topicsPattern=persistent%3A%2F%2Fpublic"
                                                    "%2Fdefault%2Ff-%28a%7Cb%29%2B%5Cd%3F");
    QTest::addRow("special names") << QStringLiteral("ws://h")
                                   << Endpoint::consumer(topic(QStringLiteral(u"t/ns/a b+[主]")),
                                                         QStringLiteral("100%"))
                                   << Query()
                                   << QByteArray("ws://h/ws/v2/consumer/persistent/t/ns/a+b%2B%5B%E4%B8%BB%5D/100%25");
}

void Tst_endpoint::url()
{
    QFETCH(QString, serviceUrl);
    QFETCH(Endpoint, endpoint);
    QFETCH(Query, query);
    QFETCH(QByteArray, expected);

    const Result<QUrl> result = endpointUrl(QUrl(serviceUrl), endpoint, query);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QVERIFY(result->isValid());
    QCOMPARE(result->toEncoded(), expected);
}

void Tst_endpoint::badServiceUrl_data()
{
    QTest::addColumn<QUrl>("serviceUrl");

    QTest::addRow("empty") << QUrl();
    QTest::addRow("empty string") << QUrl(QString());
    QTest::addRow("ftp") << QUrl(QStringLiteral("ftp://host"));
    QTest::addRow("pulsar binary") << QUrl(QStringLiteral("pulsar://localhost:6650"));
    QTest::addRow("no scheme") << QUrl(QStringLiteral("localhost:8080"));
    QTest::addRow("relative") << QUrl(QStringLiteral("/ws/v2"));
    QTest::addRow("no host") << QUrl(QStringLiteral("ws://"));
    QTest::addRow("query") << QUrl(QStringLiteral("ws://host/?token=x"));
    QTest::addRow("empty query") << QUrl(QStringLiteral("ws://host/?"));
    QTest::addRow("fragment") << QUrl(QStringLiteral("ws://host/#frag"));
    QTest::addRow("file") << QUrl(QStringLiteral("file:///tmp/x"));
}

void Tst_endpoint::badServiceUrl()
{
    QFETCH(QUrl, serviceUrl);
    const Result<QUrl> result = endpointUrl(serviceUrl, Endpoint::producer(topic(QStringLiteral("x"))),
                                            {{QStringLiteral("a"), QStringLiteral("b")}});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidServiceUrl);
    QVERIFY(!result.error().message.isEmpty());
}

void Tst_endpoint::isWebSocketPath_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("expected");

    QTest::addRow("v2 producer") << QByteArray("/ws/v2/producer/persistent/t/ns/x") << true;
    QTest::addRow("v2 consumer") << QByteArray("/ws/v2/consumer/persistent/t/ns/x/s") << true;
    QTest::addRow("v2 reader") << QByteArray("/ws/v2/reader/persistent/t/ns/x") << true;
    QTest::addRow("v1 producer") << QByteArray("/ws/producer/persistent/p/c/ns/x") << true;
    QTest::addRow("v1 consumer") << QByteArray("/ws/consumer/persistent/p/c/ns/x/s") << true;
    QTest::addRow("v1 reader") << QByteArray("/ws/reader/persistent/p/c/ns/x") << true;
    QTest::addRow("v3 consumer") << QByteArray("/ws/v3/consumer/sub") << true;
    QTest::addRow("context itself") << QByteArray("/ws/v2/producer") << true;
    QTest::addRow("context with query") << QByteArray("/ws/v2/consumer?x=1") << true;
    QTest::addRow("longer word") << QByteArray("/ws/v2/producerx/persistent/t/ns/x") << false;
    QTest::addRow("v3 producer") << QByteArray("/ws/v3/producer/x") << false;
    QTest::addRow("v2 pingpong removed") << QByteArray("/ws/v2/pingpong") << false;
    QTest::addRow("v4") << QByteArray("/ws/v4/consumer/s") << false;
    QTest::addRow("upper case") << QByteArray("/WS/v2/producer/persistent/t/ns/x") << false;
    QTest::addRow("admin") << QByteArray("/admin/v2/persistent/t/ns") << false;
    QTest::addRow("ws only") << QByteArray("/ws") << false;
    QTest::addRow("ws slash") << QByteArray("/ws/") << false;
    QTest::addRow("root") << QByteArray("/") << false;
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("no leading slash") << QByteArray("ws/v2/producer/persistent/t/ns/x") << false;
}

void Tst_endpoint::isWebSocketPath()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, expected);
    QCOMPARE(Pulsar::isWebSocketPath(path), expected);
}

void Tst_endpoint::parse_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Query>("query");
    QTest::addColumn<Endpoint>("expected");

    auto with = [](Endpoint e, ApiVersion version) {
        e.version = version;
        return e;
    };
    const TopicName x = topic(QStringLiteral("persistent://t/ns/x"));
    QTest::addRow("v2 producer (item 33)")
        << QByteArray("/ws/v2/producer/persistent/my-property/my-ns/my-topic") << Query()
        << Endpoint::producer(topic(QStringLiteral("persistent://my-property/my-ns/my-topic")));
    QTest::addRow("v2 consumer (item 33)")
        << QByteArray("/ws/v2/consumer/persistent/my-property/my-ns/my-topic/my-sub") << Query()
        << Endpoint::consumer(topic(QStringLiteral("persistent://my-property/my-ns/my-topic")),
                              QStringLiteral("my-sub"));
    QTest::addRow("v2 reader (item 33)") << QByteArray("/ws/v2/reader/non-persistent/my-property/my-ns/my-topic")
                                         << Query()
                                         << Endpoint::reader(
                                                topic(QStringLiteral("non-persistent://my-property/my-ns/my-topic")));
    QTest::addRow("v1 producer") << QByteArray("/ws/producer/persistent/prop/cluster/ns/topic") << Query()
                                 << Endpoint::producer(topic(QStringLiteral("persistent://prop/cluster/ns/topic")));
    QTest::addRow("v1 consumer") << QByteArray("/ws/consumer/persistent/prop/cluster/ns/topic/sub") << Query()
                                 << Endpoint::consumer(topic(QStringLiteral("persistent://prop/cluster/ns/topic")),
                                                       QStringLiteral("sub"));
    QTest::addRow("v1 reader") << QByteArray("/ws/reader/non-persistent/prop/cluster/ns/topic") << Query()
                               << Endpoint::reader(topic(QStringLiteral("non-persistent://prop/cluster/ns/topic")));
    QTest::addRow("trailing slash producer (item 1)")
        << QByteArray("/ws/v2/producer/persistent/t/ns/x/") << Query() << Endpoint::producer(x);
    QTest::addRow("trailing slashes reader")
        << QByteArray("/ws/v2/reader/persistent/t/ns/x///") << Query() << Endpoint::reader(x);
    QTest::addRow("query in raw path ignored")
        << QByteArray("/ws/v2/producer/persistent/t/ns/x?a=b/c") << Query() << Endpoint::producer(x);
    // Era R joins raw slashes back; the result is a v1-style name (the namespace becomes the cluster).
    QTest::addRow("v2 producer slashed topic")
        << QByteArray("/ws/v2/producer/persistent/t/ns/a/b") << Query()
        << with(Endpoint::producer(topic(QStringLiteral("persistent://t/ns/a/b"))), ApiVersion::V2);
    QTest::addRow("v2 producer slashed empty segment")
        << QByteArray("/ws/v2/producer/persistent/t/ns/a//b/") << Query()
        << with(Endpoint::producer(topic(QStringLiteral("persistent://t/ns/a/b"))), ApiVersion::V2);
    QTest::addRow("v2 producer encoded slash")
        << QByteArray("/ws/v2/producer/persistent/t/ns/a%2Fb") << Query()
        << with(Endpoint::producer(topic(QStringLiteral("persistent://t/ns/a/b"))), ApiVersion::V2);
    QTest::addRow("v1 producer slashed topic")
        << QByteArray("/ws/producer/persistent/p/c/ns/a/b/c") << Query()
        << Endpoint::producer(topic(QStringLiteral("persistent://p/c/ns/a/b/c")));
    QTest::addRow("v1 reader encoded slash") << QByteArray("/ws/reader/persistent/p/c/ns/a%2Fb") << Query()
                                             << Endpoint::reader(topic(QStringLiteral("persistent://p/c/ns/a/b")));
    QTest::addRow("encoded specials (item 32)")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/a+b%2Bc%25d%5B%5D%3C%3E/s+u%2Bb%5B%5D") << Query()
        << Endpoint::consumer(topic(QStringLiteral("persistent://t/ns/a b+c%d[]<>")), QStringLiteral("s u+b[]"));
    QTest::addRow("encoded cjk (item 32)")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/%E4%B8%BB%E9%A2%98/%E8%AE%A2%E9%98%85") << Query()
        << Endpoint::consumer(topic(QStringLiteral(u"persistent://t/ns/主题")), QStringLiteral(u"订阅"));
    QTest::addRow("raw utf-8 bytes") << QByteArray("/ws/v2/producer/persistent/t/ns/\xE4\xB8\xBB") << Query()
                                     << Endpoint::producer(topic(QStringLiteral(u"persistent://t/ns/主")));
    QTest::addRow("encoded space as percent-20") << QByteArray("/ws/v2/reader/persistent/t/ns/a%20b") << Query()
                                                 << Endpoint::reader(topic(QStringLiteral("persistent://t/ns/a b")));
    QTest::addRow("encoded percent literal") << QByteArray("/ws/v2/producer/persistent/t/ns/a%252Fb") << Query()
                                             << Endpoint::producer(topic(QStringLiteral("persistent://t/ns/a%2Fb")));
    QTest::addRow("partition") << QByteArray("/ws/v2/consumer/persistent/t/ns/x-partition-3/sub") << Query()
                               << Endpoint::consumer(topic(QStringLiteral("persistent://t/ns/x-partition-3")),
                                                     QStringLiteral("sub"));
    QTest::addRow("v3 topics (item 18)") << QByteArray("/ws/v3/consumer/sub1")
                                         << Query{{QStringLiteral("topics"), QStringLiteral("t1,t2")}}
                                         << Endpoint::multiTopic(QStringLiteral("sub1"), {topic(QStringLiteral("t1")),
                                                                                          topic(QStringLiteral("t2"))});
    QTest::addRow("v3 pattern (item 18)")
        << QByteArray("/ws/v3/consumer/sub2")
        << Query{{QStringLiteral("topicsPattern"), QStringLiteral("my-property/my-ns/testMultiTopics.*")}}
        << Endpoint::multiTopicPattern(QStringLiteral("sub2"), QStringLiteral("my-property/my-ns/testMultiTopics.*"));
    QTest::addRow("v3 full names and other params")
        << QByteArray("/ws/v3/consumer/s")
        << Query{{QStringLiteral("subscriptionType"), QStringLiteral("Shared")},
                 {QStringLiteral("topics"), QStringLiteral("persistent://t/ns/a,non-persistent://t/ns/b")}}
        << Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("persistent://t/ns/a")),
                                                      topic(QStringLiteral("non-persistent://t/ns/b"))});
    QTest::addRow("v3 first value wins") << QByteArray("/ws/v3/consumer/s")
                                         << Query{{QStringLiteral("topics"), QStringLiteral("a")},
                                                  {QStringLiteral("topics"), QStringLiteral("b")}}
                                         << Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("a"))});
    QTest::addRow("v3 extra segments ignored")
        << QByteArray("/ws/v3/consumer/s/extra/") << Query{{QStringLiteral("topics"), QStringLiteral("a")}}
        << Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("a"))});
    QTest::addRow("v3 encoded subscription")
        << QByteArray("/ws/v3/consumer/s%20u+b%2B%2F") << Query{{QStringLiteral("topics"), QStringLiteral("a")}}
        << Endpoint::multiTopic(QStringLiteral("s u b+/"), {topic(QStringLiteral("a"))});
    // The nominal topic is the first entry untrimmed; the list itself is trimmed like ConsumerBuilder.topics().
    Endpoint spaced =
        Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("t1")), topic(QStringLiteral("my/ns/t2"))});
    spaced.topic = topic(QStringLiteral(" t1 "));
    QTest::addRow("v3 spaces trimmed") << QByteArray("/ws/v3/consumer/s")
                                       << Query{{QStringLiteral("topics"), QStringLiteral(" t1 , my/ns/t2\t")}}
                                       << spaced;
    QTest::addRow("v3 duplicates kept") << QByteArray("/ws/v3/consumer/s")
                                        << Query{{QStringLiteral("topics"), QStringLiteral("a,a")}}
                                        << Endpoint::multiTopic(QStringLiteral("s"), {topic(QStringLiteral("a")),
                                                                                      topic(QStringLiteral("a"))});
}

void Tst_endpoint::parse()
{
    QFETCH(QByteArray, path);
    QFETCH(Query, query);
    QFETCH(Endpoint, expected);

    const Result<Endpoint> result = parseEndpoint(path, query);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    if (*result != expected)
        QFAIL(qPrintable(describe(*result) + QStringLiteral("\n   expected ") + describe(expected)));
}

void Tst_endpoint::parseErrors_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Query>("query");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");

    const QString iae = QStringLiteral("java.lang.IllegalArgumentException");
    const auto thrown = [&](const QString &text) -> QString { return iae + QStringLiteral(": ") + text; };
    const QString format = QStringLiteral("Invalid topic name format");
    const QString emptySub = QStringLiteral("Empty subscription name");
    const Query t1{{QStringLiteral("topics"), QStringLiteral("t1")}};
    const ErrorCode e500 = ErrorCode::InvalidPath;
    const ErrorCode e400 = ErrorCode::InvalidQueryParams;

    // Spec 1.3: failures while the handler is built -> 500.
    QTest::addRow("not a websocket path")
        << QByteArray("/admin/v2/clusters") << Query() << e500 << QStringLiteral("Not a WebSocket endpoint");
    QTest::addRow("context only") << QByteArray("/ws/v2/producer") << Query() << e500 << thrown(format);
    QTest::addRow("too short v2") << QByteArray("/ws/v2/producer/persistent/t/ns") << Query() << e500 << thrown(format);
    QTest::addRow("too short v2 consumer")
        << QByteArray("/ws/v2/consumer/persistent/t/ns") << Query() << e500 << thrown(format);
    QTest::addRow("too short v1") << QByteArray("/ws/producer/persistent/p/c/ns") << Query() << e500 << thrown(format);
    QTest::addRow("v2 layout on v1 path")
        << QByteArray("/ws/reader/persistent/t/ns/x") << Query() << e500 << thrown(format);
    QTest::addRow("bad domain") << QByteArray("/ws/v2/producer/persistant/t/ns/x") << Query() << e500 << iae;
    QTest::addRow("domain is case-sensitive in paths")
        << QByteArray("/ws/v2/producer/Persistent/t/ns/x") << Query() << e500 << iae;
    QTest::addRow("v1 bad domain") << QByteArray("/ws/consumer/topic/p/c/ns/x/s") << Query() << e500 << iae;
    QTest::addRow("invalid tenant") << QByteArray("/ws/v2/producer/persistent/t%20x/ns/x") << Query() << e500
                                    << thrown(QStringLiteral("Invalid named entity: t%20x"));
    QTest::addRow("invalid namespace") << QByteArray("/ws/v2/reader/persistent/t/n*s/x") << Query() << e500
                                       << thrown(QStringLiteral("Invalid named entity: n*s"));
    QTest::addRow("empty tenant") << QByteArray("/ws/v2/producer/persistent//ns/x") << Query() << e500
                                  << thrown(QStringLiteral("Invalid namespace format. namespace: /ns"));
    QTest::addRow("empty namespace consumer") << QByteArray("/ws/v2/consumer/persistent/t//x/sub") << Query() << e500
                                              << thrown(QStringLiteral("Invalid namespace format. namespace: t/"));
    QTest::addRow("v1 empty cluster") << QByteArray("/ws/producer/persistent/p//ns/x") << Query() << e500
                                      << thrown(QStringLiteral("Invalid namespace format. namespace: p//ns"));
    QTest::addRow("v1 invalid cluster") << QByteArray("/ws/producer/persistent/p/c%21/ns/x") << Query() << e500
                                        << thrown(QStringLiteral("Invalid named entity: c%21"));
    QTest::addRow("empty topic") << QByteArray("/ws/v2/producer/persistent/t/ns/") << Query() << e500
                                 << thrown(QStringLiteral("Invalid topic name: persistent://t/ns/"));
    QTest::addRow("empty topic consumer") << QByteArray("/ws/v2/consumer/persistent/t/ns//sub") << Query() << e500
                                          << thrown(QStringLiteral("Invalid topic name: persistent://t/ns/"));
    QTest::addRow("empty first topic segment") << QByteArray("/ws/v2/producer/persistent/t/ns//a") << Query() << e500
                                               << thrown(QStringLiteral("Invalid namespace format. namespace: t/ns/"));
    QTest::addRow("encoded trailing slash") << QByteArray("/ws/v2/producer/persistent/t/ns/a%2F") << Query() << e500
                                            << thrown(QStringLiteral("Invalid topic name: persistent://t/ns/a/"));
    QTest::addRow("slashed topic bad v1 namespace")
        << QByteArray("/ws/v2/producer/persistent/t/ns/a%20b%2Fc") << Query() << e500
        << thrown(QStringLiteral("Invalid named entity: a b"));
    QTest::addRow("bad escape in topic") << QByteArray("/ws/v2/producer/persistent/t/ns/a%zz") << Query() << e500
                                         << thrown(QStringLiteral("URLDecoder: Illegal hex characters in escape (%) "
                                                                  "pattern - Error at index 0 in: \"zz\""));
    QTest::addRow("incomplete escape in topic") << QByteArray("/ws/v2/reader/persistent/t/ns/a%4") << Query() << e500
                                                << thrown(QStringLiteral("URLDecoder: Incomplete trailing escape (%) "
                                                                         "pattern"));
    QTest::addRow("bad escape in consumer topic")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/%/sub") << Query() << e500
        << thrown(QStringLiteral("URLDecoder: Incomplete trailing escape "
                                 "(%) pattern"));

    // ConsumerHandler.extractSubscription runs inside the handler's try block -> 400.
    QTest::addRow("empty subscription (item 4)") << QByteArray("/ws/v2/consumer/persistent/t/ns/my-topic2/") << Query()
                                                 << ErrorCode::EmptySubscription << emptySub;
    QTest::addRow("v1 empty subscription")
        << QByteArray("/ws/consumer/persistent/p/c/ns/x/") << Query() << ErrorCode::EmptySubscription << emptySub;
    QTest::addRow("missing subscription")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x") << Query() << e400 << format;
    QTest::addRow("v1 missing subscription")
        << QByteArray("/ws/consumer/persistent/p/c/ns/x") << Query() << e400 << format;
    QTest::addRow("consumer extra segment")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/a/b/sub") << Query() << e400 << format;
    QTest::addRow("consumer trailing slash")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x/sub/") << Query() << e400 << format;
    QTest::addRow("consumer double slash before sub")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x//sub") << Query() << e400 << format;
    QTest::addRow("bad escape in subscription")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x/s%zz") << Query() << e400
        << QStringLiteral("URLDecoder: Illegal hex characters in escape (%) "
                          "pattern - Error at index 0 in: \"zz\"");
    QTest::addRow("negative escape in subscription")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x/%-1") << Query() << e400
        << QStringLiteral("URLDecoder: Illegal hex characters in escape "
                          "(%) pattern - negative value");

    // v3: topics/topicsPattern are read in the constructor (500); the subscription in the try block (400).
    QTest::addRow("v3 neither") << QByteArray("/ws/v3/consumer/sub") << Query() << e500
                                << thrown(QStringLiteral("Should set topics or topicsPattern"));
    QTest::addRow("v3 other params only")
        << QByteArray("/ws/v3/consumer/sub") << Query{{QStringLiteral("topic"), QStringLiteral("a")}} << e500
        << thrown(QStringLiteral("Should set topics or topicsPattern"));
    QTest::addRow("v3 both") << QByteArray("/ws/v3/consumer/sub")
                             << Query{{QStringLiteral("topics"), QStringLiteral("a")},
                                      {QStringLiteral("topicsPattern"), QStringLiteral("a.*")}}
                             << e500 << thrown(QStringLiteral("Topics must be null when use topicsPattern"));
    QTest::addRow("v3 both empty") << QByteArray("/ws/v3/consumer/sub")
                                   << Query{{QStringLiteral("topicsPattern"), QString()},
                                            {QStringLiteral("topics"), QString()}}
                                   << e500 << thrown(QStringLiteral("Topics must be null when use topicsPattern"));
    QTest::addRow("v3 neither before empty subscription")
        << QByteArray("/ws/v3/consumer/") << Query() << e500
        << thrown(QStringLiteral("Should set topics or topicsPattern"));
    QTest::addRow("v3 empty topics") << QByteArray("/ws/v3/consumer/sub")
                                     << Query{{QStringLiteral("topics"), QString()}} << e500
                                     << thrown(QStringLiteral("Invalid short topic name '', it should be in the format "
                                                              "of <tenant>/<namespace>/<topic> or <topic>"));
    QTest::addRow("v3 bad first topic") << QByteArray("/ws/v3/consumer/sub")
                                        << Query{{QStringLiteral("topics"), QStringLiteral("a/b,c")}} << e500
                                        << thrown(QStringLiteral("Invalid short topic name 'a/b', it should be in the "
                                                                 "format of <tenant>/<namespace>/<topic> or <topic>"));
    QTest::addRow("v3 bad pattern") << QByteArray("/ws/v3/consumer/sub")
                                    << Query{{QStringLiteral("topicsPattern"), QStringLiteral("persistent://t/ns/")}}
                                    << e500 << thrown(QStringLiteral("Invalid topic name: persistent://t/ns/"));
    QTest::addRow("v3 empty subscription")
        << QByteArray("/ws/v3/consumer/") << t1 << ErrorCode::EmptySubscription << emptySub;
    QTest::addRow("v3 empty subscription segment")
        << QByteArray("/ws/v3/consumer//x") << t1 << ErrorCode::EmptySubscription << emptySub;
    QTest::addRow("v3 no subscription segment") << QByteArray("/ws/v3/consumer") << t1 << e400 << format;
    QTest::addRow("v3 bad escape in subscription") << QByteArray("/ws/v3/consumer/a%") << t1 << e400
                                                   << QStringLiteral("URLDecoder: Incomplete trailing escape (%) "
                                                                     "pattern");
    QTest::addRow("v3 blank entry") << QByteArray("/ws/v3/consumer/s")
                                    << Query{{QStringLiteral("topics"), QStringLiteral("t1, ,t2")}} << e400
                                    << QStringLiteral("topicNames cannot have blank topic");
    QTest::addRow("v3 trailing comma") << QByteArray("/ws/v3/consumer/s")
                                       << Query{{QStringLiteral("topics"), QStringLiteral("t1,")}} << e400
                                       << QStringLiteral("topicNames cannot have blank topic");
    QTest::addRow("v3 bad later topic") << QByteArray("/ws/v3/consumer/s")
                                        << Query{{QStringLiteral("topics"), QStringLiteral("t1, a/b")}}
                                        << ErrorCode::InvalidTopicName << QStringLiteral("Invalid topic name: 'a/b'");
}

void Tst_endpoint::parseErrors()
{
    QFETCH(QByteArray, path);
    QFETCH(Query, query);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);

    const Result<Endpoint> result = parseEndpoint(path, query);
    QVERIFY2(!result.ok(), qPrintable(result.ok() ? describe(*result) : QString()));
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().message, message);
}

void Tst_endpoint::handshake_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Query>("query");
    QTest::addColumn<int>("failure");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::addRow("empty subscription") << QByteArray("/ws/v2/consumer/persistent/t/ns/x/") << Query()
                                        << int(HandshakeFailure::InvalidQueryParams) << 400
                                        << QStringLiteral("Invalid query params: Empty subscription name");
    QTest::addRow("consumer segment count")
        << QByteArray("/ws/v2/consumer/persistent/t/ns/x") << Query() << int(HandshakeFailure::InvalidQueryParams)
        << 400 << QStringLiteral("Invalid query params: Invalid topic name format");
    QTest::addRow("too short") << QByteArray("/ws/v2/producer/persistent") << Query()
                               << int(HandshakeFailure::MalformedRequest) << 500
                               << QStringLiteral("java.lang.IllegalArgumentException: Invalid topic name format");
    QTest::addRow("bad domain") << QByteArray("/ws/v2/producer/x/t/ns/x") << Query()
                                << int(HandshakeFailure::MalformedRequest) << 500
                                << QStringLiteral("java.lang.IllegalArgumentException");
    QTest::addRow("v3 neither") << QByteArray("/ws/v3/consumer/s") << Query() << int(HandshakeFailure::MalformedRequest)
                                << 500
                                << QStringLiteral(
                                       "java.lang.IllegalArgumentException: Should set topics or topicsPattern");
    QTest::addRow("v3 bad later topic") << QByteArray("/ws/v3/consumer/s")
                                        << Query{{QStringLiteral("topics"), QStringLiteral("a,b/c")}}
                                        << int(HandshakeFailure::ServerError) << 500
                                        << QStringLiteral(
                                               "Failed to create producer/consumer: Invalid topic name: 'b/c'");
}

void Tst_endpoint::handshake()
{
    QFETCH(QByteArray, path);
    QFETCH(Query, query);
    QFETCH(int, failure);
    QFETCH(int, status);
    QFETCH(QString, message);

    const Result<Endpoint> result = parseEndpoint(path, query);
    QVERIFY(!result.ok());
    const HandshakeFailure mapped = handshakeFailureFor(result.error());
    QCOMPARE(int(mapped), failure);
    QCOMPARE(httpStatusFor(mapped), status);
    QCOMPARE(handshakeMessage(mapped, result.error().message), message);
}

void Tst_endpoint::stripPrefix_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray ws = "/ws/v2/producer/persistent/t/ns/x";
    QTest::addRow("no prefix") << ws << QByteArray() << ws;
    QTest::addRow("root prefix") << ws << QByteArray("/") << ws;
    QTest::addRow("prefix") << ("/pulsar" + ws) << QByteArray("/pulsar") << ws;
    QTest::addRow("prefix trailing slash") << ("/pulsar" + ws) << QByteArray("/pulsar/") << ws;
    QTest::addRow("prefix without leading slash") << ("/pulsar" + ws) << QByteArray("pulsar") << ws;
    QTest::addRow("deep prefix") << ("/a/b" + ws) << QByteArray("/a/b/") << ws;
    QTest::addRow("exactly the prefix") << QByteArray("/pulsar") << QByteArray("/pulsar") << QByteArray("/");
    QTest::addRow("prefix and slash") << QByteArray("/pulsar/") << QByteArray("/pulsar") << QByteArray("/");
    QTest::addRow("longer first segment") << ("/pulsarx" + ws) << QByteArray("/pulsar") << QByteArray();
    QTest::addRow("other prefix") << ("/other" + ws) << QByteArray("/pulsar") << QByteArray();
    QTest::addRow("missing prefix") << ws << QByteArray("/pulsar") << QByteArray();
}

void Tst_endpoint::stripPrefix()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, expected);

    const QByteArray stripped = stripPathPrefix(path, prefix);
    QCOMPARE(stripped, expected);
    QCOMPARE(stripped.isNull(), expected.isNull());
}

void Tst_endpoint::firstQueryValue_data()
{
    QTest::addColumn<Query>("query");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("value");

    const Query q{{QStringLiteral("a"), QStringLiteral("1")},
                  {QStringLiteral("b"), QString()},
                  {QStringLiteral("a"), QStringLiteral("2")},
                  {QStringLiteral("C"), QStringLiteral("3")}};
    QTest::addRow("first of repeated") << q << QStringLiteral("a") << true << QStringLiteral("1");
    QTest::addRow("empty value") << q << QStringLiteral("b") << true << QString();
    QTest::addRow("absent") << q << QStringLiteral("d") << false << QString();
    QTest::addRow("case-sensitive") << q << QStringLiteral("c") << false << QString();
    QTest::addRow("exact case") << q << QStringLiteral("C") << true << QStringLiteral("3");
    QTest::addRow("empty query") << Query() << QStringLiteral("a") << false << QString();
}

void Tst_endpoint::firstQueryValue()
{
    QFETCH(Query, query);
    QFETCH(QString, name);
    QFETCH(bool, present);
    QFETCH(QString, value);

    bool found = !present;
    QCOMPARE(Pulsar::firstQueryValue(query, name, &found), value);
    QCOMPARE(found, present);
    QCOMPARE(Pulsar::firstQueryValue(query, name), value);
}

void Tst_endpoint::roundTrip_data()
{
    QTest::addColumn<QString>("serviceUrl");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<Endpoint>("endpoint");

    const QStringList locals{
        QStringLiteral("my-topic"),
        QStringLiteral("a b"),
        QStringLiteral("a+b"),
        QStringLiteral("100%"),
        QStringLiteral("%2F%zz%"),
        QStringLiteral("[]<>"),
        QStringLiteral("~!*'();:@&=+$?#"),
        QStringLiteral(u"主题 テスト"),
        QStringLiteral(u"😀-partition-2"),
        QStringLiteral("\"{}|\\^`"),
    };
    const QStringList subscriptions{
        QStringLiteral("sub"),  QStringLiteral("a b"),  QStringLiteral("a+b"),          QStringLiteral("a/b"),
        QStringLiteral("100%"), QStringLiteral("?#&="), QStringLiteral(u"订阅 [x]<y>"), QStringLiteral("~"),
    };
    const QList<QPair<QString, QByteArray>> services{
        {QStringLiteral("ws://localhost:8080"), QByteArray()},
        {QStringLiteral("wss://host/some/prefix"), QByteArray("/some/prefix")},
        {QStringLiteral("https://host/some/prefix/"), QByteArray("/some/prefix/")},
    };
    int n = 0;
    for (const auto &service : services) {
        for (qsizetype i = 0; i < locals.size(); ++i) {
            const QString &local = locals[i];
            const QString &sub = subscriptions[i % subscriptions.size()];
            const TopicName v2 = topic(QStringLiteral("persistent://t/ns/") + local);
            const TopicName np = topic(QStringLiteral("non-persistent://t=1/n:s.2/") + local);
            const TopicName v1 = topic(QStringLiteral("persistent://p/c/ns/") + local);
            const TopicName v1Slashed = topic(QStringLiteral("persistent://p/c/ns/dir/") + local);
            for (const Endpoint &e : {Endpoint::producer(v2), Endpoint::consumer(v2, sub), Endpoint::reader(np),
                                      Endpoint::producer(v1), Endpoint::consumer(v1Slashed, sub),
                                      Endpoint::reader(v1Slashed), Endpoint::multiTopic(sub, {v2, np, v1}),
                                      Endpoint::multiTopicPattern(sub, QStringLiteral("t/ns/") + local)}) {
                QTest::addRow("%d", n++) << service.first << service.second << e;
            }
        }
        for (const QString &sub : subscriptions) {
            QTest::addRow("%d", n++) << service.first << service.second
                                     << Endpoint::consumer(topic(QStringLiteral("x")), sub);
        }
    }
}

void Tst_endpoint::roundTrip()
{
    QFETCH(QString, serviceUrl);
    QFETCH(QByteArray, prefix);
    QFETCH(Endpoint, endpoint);

    const Query extra{{QStringLiteral("subscriptionType"), QStringLiteral("Shared")},
                      {QStringLiteral("token"), QStringLiteral("a+b/c=d&e f%")}};
    const Result<QUrl> url = endpointUrl(QUrl(serviceUrl), endpoint, extra);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));

    QByteArray rawPath;
    Query query;
    splitUrl(url->toEncoded(), &rawPath, &query);
    QCOMPARE(Pulsar::firstQueryValue(query, u"token"), QStringLiteral("a+b/c=d&e f%"));
    QCOMPARE(Pulsar::firstQueryValue(query, u"subscriptionType"), QStringLiteral("Shared"));

    const QByteArray stripped = stripPathPrefix(rawPath, prefix);
    QVERIFY(Pulsar::isWebSocketPath(stripped));
    const Result<Endpoint> parsed = parseEndpoint(stripped, query);
    QVERIFY2(parsed.ok(),
             qPrintable(url->toString() + QStringLiteral(": ") + (parsed.ok() ? QString() : parsed.error().message)));
    if (*parsed != endpoint)
        QFAIL(qPrintable(describe(*parsed) + QStringLiteral("\n   expected ") + describe(endpoint)));
}

QTEST_GUILESS_MAIN(Tst_endpoint)
#include "tst_endpoint.moc"
