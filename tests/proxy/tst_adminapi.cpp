// The admin REST API subset of spec 9 on the bundled service, over loopback HTTP: every route, Pulsar's error
// statuses and reasons, stats after traffic, peek and examine headers, cursor operations seen by a WebSocket
// consumer, partitioned topics, and persistence of admin-created metadata across a restart; and the v1 forms of the
// namespace and topic routes (/admin/namespaces/{p}/{c}/{ns}..., /admin/persistent/{p}/{c}/{ns}/{topic}...) on the
// v1 namespace sample/standalone/ns1 that the service creates on first start, as Pulsar standalone does.
#include "proxyfixture.h"

#include "protocol/timeformat.h"
#include "proxy/adminapi.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QtTest>

using namespace TestSupport;

namespace {

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return QByteArray();
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    QString reason() const { return object().value(QLatin1String("reason")).toString(); }
};

QStringList strings(const QJsonArray &array)
{
    QStringList list;
    for (const auto v : array)
        list.append(v.toString());
    return list;
}

const QString kTopicBase = QStringLiteral("/admin/v2/persistent/public/default/");

QString wsProducer(const QString &topic)
{
    return QStringLiteral("/ws/v2/producer/persistent/public/default/") + topic;
}

QString wsConsumer(const QString &topic, const QString &subscription, const QString &query = QString())
{
    return QStringLiteral("/ws/v2/consumer/persistent/public/default/") + topic + QLatin1Char('/') + subscription +
           query;
}

// The v1 namespace every fresh service has, and the v1 forms of its admin and WebSocket paths.
const QString kV1Namespace = QStringLiteral("sample/standalone/ns1");
const QString kV1TopicBase = QStringLiteral("/admin/persistent/sample/standalone/ns1/");

QString wsV1(const QString &kind, const QString &domainAndTopic)
{
    return QStringLiteral("/ws/") + kind + QLatin1Char('/') + domainAndTopic;
}

QJsonObject properties(const QString &key, const QString &value)
{
    QJsonObject object;
    object.insert(key, value);
    return object;
}

} // namespace

class TestAdminApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void clustersAndBrokers();
    void tenantLifecycle();
    void namespaceLifecycle();
    void errorReasons_data();
    void errorReasons();
    void createListAndDeleteTopics();
    void topicProperties();
    void statsAfterPublishConsumeAck();
    void internalStatsCursor();
    void subscriptionsAtPositions();
    void peekHeadersAndBody();
    void examineAndGetById();
    void skipAndSkipAllSeenByConsumer();
    void resetCursorToTimeSeenByConsumer();
    void expireMessages();
    void partitionedTopicOperations();
    void deleteRefusedWhileConnected();
    void terminateAndLastMessageId();
    void nonPersistentTopics();
    void unload();
    void metadataSurvivesRestart();
    void peekReadsFromDiskAfterRestart();
    void v1NamespaceLifecycle();
    void v1TopicRoutes_data();
    void v1TopicRoutes();
    void v1StatsLeaveOutBacklogSize();

private:
    HttpAnswer http(const QByteArray &method, const QString &path, const QByteArray &body = QByteArray());
    // Publishes through a WebSocket producer and waits for every ack; returns the producer's acks.
    QList<QJsonObject> publish(const QString &topic, const QList<QJsonObject> &frames);
    qint64 ledgerOf(const QString &topic);

    std::unique_ptr<ProxyFixture> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestAdminApi::init()
{
    m_proxy = std::make_unique<ProxyFixture>();
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestAdminApi::cleanup()
{
    m_network.reset();
    m_proxy.reset();
}

HttpAnswer TestAdminApi::http(const QByteArray &method, const QString &path, const QByteArray &body)
{
    const QByteArray url = "http://127.0.0.1:" + QByteArray::number(m_proxy->port()) + path.toUtf8();
    QNetworkRequest request(QUrl::fromEncoded(url, QUrl::StrictMode));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    std::unique_ptr<QNetworkReply> reply(m_network->sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    HttpAnswer answer;
    if (!reply->isFinished() && !finished.wait(10000))
        return answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    return answer;
}

QList<QJsonObject> TestAdminApi::publish(const QString &topic, const QList<QJsonObject> &frames)
{
    WsClient producer(m_proxy->url(wsProducer(topic)));
    if (!producer.waitConnected())
        return {};
    for (const QJsonObject &frame : frames)
        producer.send(frame);
    if (!QTest::qWaitFor([&] { return producer.count() >= frames.size(); }, 10000))
        return {};
    return producer.frames();
}

qint64 TestAdminApi::ledgerOf(const QString &topic)
{
    const HttpAnswer last = http("GET", kTopicBase + topic + QStringLiteral("/lastMessageId"));
    return last.status == 200 ? qint64(last.object().value(QLatin1String("ledgerId")).toDouble()) : -2;
}

void TestAdminApi::clustersAndBrokers()
{
    const HttpAnswer clusters = http("GET", QStringLiteral("/admin/v2/clusters"));
    QCOMPARE(clusters.status, 200);
    QCOMPARE(clusters.body, QByteArray("[\"standalone\"]"));
    QCOMPARE(clusters.header("Content-Type"), QByteArray("application/json"));
    const HttpAnswer health = http("GET", QStringLiteral("/admin/v2/brokers/health"));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArray("ok"));
    const HttpAnswer version = http("GET", QStringLiteral("/admin/v2/brokers/version"));
    QCOMPARE(version.status, 200);
    QCOMPARE(version.body, Proxy::ServiceConfig().version.toUtf8());
    QCOMPARE(http("POST", QStringLiteral("/admin/v2/clusters")).status, 405);
}

void TestAdminApi::tenantLifecycle()
{
    QVERIFY(strings(http("GET", QStringLiteral("/admin/v2/tenants")).array()).contains(QStringLiteral("public")));
    const QByteArray info = R"({"adminRoles":["ops"],"allowedClusters":["standalone"]})";
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/tenants/acme"), info).status, 204);
    const HttpAnswer got = http("GET", QStringLiteral("/admin/v2/tenants/acme"));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, QByteArray(R"({"adminRoles":["ops"],"allowedClusters":["standalone"]})"));
    QVERIFY(strings(http("GET", QStringLiteral("/admin/v2/tenants")).array()).contains(QStringLiteral("acme")));

    HttpAnswer again = http("PUT", QStringLiteral("/admin/v2/tenants/acme"), info);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.reason(), QStringLiteral("Tenant already exists"));
    HttpAnswer noClusters =
        http("PUT", QStringLiteral("/admin/v2/tenants/other"), R"({"adminRoles":[],"allowedClusters":[]})");
    QCOMPARE(noClusters.status, 412);
    QCOMPARE(noClusters.reason(), QStringLiteral("Clusters can not be empty"));
    HttpAnswer unknownCluster =
        http("PUT", QStringLiteral("/admin/v2/tenants/other"), R"({"allowedClusters":["mars"]})");
    QCOMPARE(unknownCluster.status, 412);
    QCOMPARE(unknownCluster.reason(), QStringLiteral("Clusters do not exist"));
    HttpAnswer badName = http("PUT", QStringLiteral("/admin/v2/tenants/bad%20name"), info);
    QCOMPARE(badName.status, 412);
    QCOMPARE(badName.reason(), QStringLiteral("Tenant name is not valid"));

    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/namespaces/acme/ns"), {}).status, 204);
    HttpAnswer busy = http("DELETE", QStringLiteral("/admin/v2/tenants/acme"));
    QCOMPARE(busy.status, 409);
    QCOMPARE(busy.reason(), QStringLiteral("The tenant still has active namespaces"));
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/namespaces/acme/ns")).status, 204);
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/tenants/acme")).status, 204);
    HttpAnswer gone = http("GET", QStringLiteral("/admin/v2/tenants/acme"));
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.reason(), QStringLiteral("Tenant does not exist"));
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/tenants/acme")).status, 404);
}

void TestAdminApi::namespaceLifecycle()
{
    // v1 namespaces ("tenant/cluster/ns") are listed with their tenant, as Pulsar lists them.
    const HttpAnswer sample = http("GET", QStringLiteral("/admin/v2/namespaces/sample"));
    QCOMPARE(sample.status, 200);
    QCOMPARE(strings(sample.array()), QStringList{QStringLiteral("sample/standalone/ns1")});
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/namespaces/nobody")).reason(),
             QStringLiteral("Tenant does not exist"));

    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/namespaces/public/team")).status, 204);
    HttpAnswer again = http("PUT", QStringLiteral("/admin/v2/namespaces/public/team"));
    QCOMPARE(again.status, 409);
    QCOMPARE(again.reason(), QStringLiteral("Namespace already exists"));
    HttpAnswer noTenant = http("PUT", QStringLiteral("/admin/v2/namespaces/nobody/team"));
    QCOMPARE(noTenant.status, 404);
    QCOMPARE(noTenant.reason(), QStringLiteral("Tenant does not exist"));
    QVERIFY(strings(http("GET", QStringLiteral("/admin/v2/namespaces/public")).array())
                .contains(QStringLiteral("public/team")));

    const HttpAnswer policies = http("GET", QStringLiteral("/admin/v2/namespaces/public/team"));
    QCOMPARE(policies.status, 200);
    const QJsonObject p = policies.object();
    QVERIFY(p.value(QLatin1String("auth_policies")).toObject().contains(QLatin1String("namespace_auth")));
    QCOMPARE(strings(p.value(QLatin1String("replication_clusters")).toArray()),
             QStringList{QStringLiteral("standalone")});
    QCOMPARE(p.value(QLatin1String("bundles")).toObject().value(QLatin1String("numBundles")).toInt(), 4);
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/namespaces/public/none")).reason(),
             QStringLiteral("Namespace does not exist"));

    // Topics of the namespace by mode; PERSISTENT is the default.
    WsClient p1(m_proxy->url(QStringLiteral("/ws/v2/producer/persistent/public/team/p1")));
    QVERIFY(p1.waitConnected());
    WsClient np1(m_proxy->url(QStringLiteral("/ws/v2/producer/non-persistent/public/team/np1")));
    QVERIFY(np1.waitConnected());
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/namespaces/public/team/topics")).array()),
             QStringList{QStringLiteral("persistent://public/team/p1")});
    QCOMPARE(
        strings(http("GET", QStringLiteral("/admin/v2/namespaces/public/team/topics?mode=NON_PERSISTENT")).array()),
        QStringList{QStringLiteral("non-persistent://public/team/np1")});
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/namespaces/public/team/topics?mode=ALL")).array()).size(),
             2);
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/namespaces/public/team/topics?mode=SOME")).status, 404);

    HttpAnswer notEmpty = http("DELETE", QStringLiteral("/admin/v2/namespaces/public/team"));
    QCOMPARE(notEmpty.status, 409);
    QCOMPARE(notEmpty.reason(), QStringLiteral("Cannot delete non empty namespace"));
    p1.socket().close();
    np1.socket().close();
    QTRY_COMPARE(http("GET", QStringLiteral("/admin/v2/persistent/public/team/p1/stats"))
                     .object()
                     .value(QLatin1String("publishers"))
                     .toArray()
                     .size(),
                 0);
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/persistent/public/team/p1")).status, 204);
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/non-persistent/public/team/np1")).status, 204);
    QCOMPARE(http("DELETE", QStringLiteral("/admin/v2/namespaces/public/team")).status, 204);
    HttpAnswer gone = http("DELETE", QStringLiteral("/admin/v2/namespaces/public/team"));
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.reason(), QStringLiteral("Namespace does not exist"));
}

void TestAdminApi::errorReasons_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    const QString missing = QStringLiteral("Topic persistent://public/default/nope not found");
    const auto row = [](const char *name, const QByteArray &method, const QString &path, int status,
                        const QString &reason, const QByteArray &body = QByteArray()) {
        QTest::addRow("%s", name) << method << path << body << status << reason;
    };
    row("stats", "GET", kTopicBase + QStringLiteral("nope/stats"), 404, missing);
    row("internal stats", "GET", kTopicBase + QStringLiteral("nope/internalStats"), 404, missing);
    row("partition metadata", "GET", kTopicBase + QStringLiteral("nope/partitions"), 404, missing);
    row("partitioned stats", "GET", kTopicBase + QStringLiteral("nope/partitioned-stats"), 404,
        QStringLiteral("Partitioned Topic persistent://public/default/nope not found"));
    row("partitioned internal stats", "GET", kTopicBase + QStringLiteral("nope/partitioned-internalStats"), 404,
        QStringLiteral("Partitioned Topic persistent://public/default/nope not found"));
    row("subscriptions", "GET", kTopicBase + QStringLiteral("nope/subscriptions"), 404, missing);
    row("last message id", "GET", kTopicBase + QStringLiteral("nope/lastMessageId"), 404, missing);
    row("terminate", "POST", kTopicBase + QStringLiteral("nope/terminate"), 404, missing);
    row("unload", "PUT", kTopicBase + QStringLiteral("nope/unload"), 404, missing);
    row("properties", "GET", kTopicBase + QStringLiteral("nope/properties"), 404, missing);
    row("examine", "GET", kTopicBase + QStringLiteral("nope/examinemessage"), 404, missing);
    row("get by id", "GET", kTopicBase + QStringLiteral("nope/ledger/1/entry/0"), 404, missing);
    row("delete", "DELETE", kTopicBase + QStringLiteral("nope"), 404, missing);
    row("delete partitioned", "DELETE", kTopicBase + QStringLiteral("nope/partitions"), 404,
        QStringLiteral("Topic persistent://public/default/nope not found."));
    row("skip all", "POST", kTopicBase + QStringLiteral("nope/subscription/s/skip_all"), 404, missing);
    row("skip", "POST", kTopicBase + QStringLiteral("nope/subscription/s/skip/1"), 404, missing);
    row("expire", "POST", kTopicBase + QStringLiteral("nope/subscription/s/expireMessages/1"), 404, missing);
    row("reset cursor", "POST", kTopicBase + QStringLiteral("nope/subscription/s/resetcursor/0"), 404, missing);
    row("peek", "GET", kTopicBase + QStringLiteral("nope/subscription/s/position/1"), 404, missing);
    row("delete subscription", "DELETE", kTopicBase + QStringLiteral("nope/subscription/s"), 404, missing);
    row("zero partitions", "PUT", kTopicBase + QStringLiteral("zero/partitions"), 406,
        QStringLiteral("Number of partitions should be more than 0"), "0");
    row("partition suffix on a partitioned topic", "PUT", kTopicBase + QStringLiteral("x-partition-1/partitions"), 412,
        QStringLiteral("Partitioned Topic Name should not contain '-partition-'"), "2");
    row("partition suffix without partitioned topic", "PUT", kTopicBase + QStringLiteral("solo-partition-3"), 412,
        QStringLiteral("Can't create topic solo-partition-3 with \"-partition-\" followed by numeric value if "
                       "there isn't a partitioned topic solo created."));
    row("namespace of a topic list", "GET", QStringLiteral("/admin/v2/persistent/public/nowhere"), 404,
        QStringLiteral("Namespace does not exist"));
    row("namespace of a partitioned list", "GET", QStringLiteral("/admin/v2/persistent/public/nowhere/partitioned"),
        404, QStringLiteral("Namespace does not exist"));
    row("namespace of a topic", "GET", QStringLiteral("/admin/v2/persistent/public/nowhere/t/stats"), 404,
        QStringLiteral("Namespace does not exist"));
    row("unknown route", "GET", QStringLiteral("/admin/v2/nothing"), 404, QStringLiteral("Not Found"));
    row("unknown topic operation", "GET", kTopicBase + QStringLiteral("nope/whatever"), 404,
        QStringLiteral("Not Found"));
    row("wrong method", "DELETE", kTopicBase + QStringLiteral("nope/stats"), 405, QStringLiteral("Method Not Allowed"));
    row("method on a topic list", "PUT", QStringLiteral("/admin/v2/persistent/public/default"), 405,
        QStringLiteral("Method Not Allowed"));
}

void TestAdminApi::errorReasons()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, reason);
    const HttpAnswer answer = http(method, path, body);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.reason(), reason);
    QCOMPARE(answer.header("Content-Type"), QByteArray("application/json"));
}

void TestAdminApi::createListAndDeleteTopics()
{
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("plain")).status, 204);
    HttpAnswer again = http("PUT", kTopicBase + QStringLiteral("plain"));
    QCOMPARE(again.status, 409);
    QCOMPARE(again.reason(), QStringLiteral("This topic already exists"));
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("parted/partitions"), "3").status, 204);
    HttpAnswer partedAgain = http("PUT", kTopicBase + QStringLiteral("parted/partitions"), "3");
    QCOMPARE(partedAgain.status, 409);
    QCOMPARE(partedAgain.reason(), QStringLiteral("This topic already exists"));
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("parted")).status, 409);
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("plain/partitions"), "2").status, 409);
    // A partition of the partitioned topic may be created; one past its partitions may not.
    HttpAnswer beyond = http("PUT", kTopicBase + QStringLiteral("parted-partition-3"));
    QCOMPARE(beyond.status, 412);
    QVERIFY(beyond.reason().startsWith(QLatin1String("Can't create topic parted-partition-3")));

    QCOMPARE(http("GET", kTopicBase + QStringLiteral("parted/partitions")).body,
             QByteArray(R"({"partitions":3,"deleted":false})"));
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("plain/partitions")).body,
             QByteArray(R"({"partitions":0,"deleted":false})"));
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("future/partitions?checkAllowAutoCreation=true")).body,
             QByteArray(R"({"partitions":0,"deleted":false})"));

    const QStringList expected{QStringLiteral("persistent://public/default/parted-partition-0"),
                               QStringLiteral("persistent://public/default/parted-partition-1"),
                               QStringLiteral("persistent://public/default/parted-partition-2"),
                               QStringLiteral("persistent://public/default/plain")};
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/persistent/public/default")).array()), expected);
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/persistent/public/default/partitioned")).array()),
             QStringList{QStringLiteral("persistent://public/default/parted")});
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/non-persistent/public/default/partitioned")).array()),
             QStringList());
    // Partitions of an admin-created partitioned topic exist at once, with stats.
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("parted-partition-1/stats")).status, 200);

    HttpAnswer wrongDelete = http("DELETE", kTopicBase + QStringLiteral("plain/partitions"));
    QCOMPARE(wrongDelete.status, 409);
    QCOMPARE(wrongDelete.reason(), QStringLiteral("persistent://public/default/plain is a non-partitioned topic. "
                                                  "Instead of calling delete-partitioned-topic please call delete."));
    QCOMPARE(http("DELETE", kTopicBase + QStringLiteral("parted")).status, 404);
    QCOMPARE(http("DELETE", kTopicBase + QStringLiteral("parted/partitions")).status, 204);
    QCOMPARE(http("DELETE", kTopicBase + QStringLiteral("plain?force=false")).status, 204);
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/persistent/public/default")).array()), QStringList());
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("parted/partitions")).status, 404);
}

void TestAdminApi::topicProperties()
{
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("labelled"), R"({"team":"blue","tier":"1"})").status, 204);
    const HttpAnswer got = http("GET", kTopicBase + QStringLiteral("labelled/properties"));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, QByteArray(R"({"team":"blue","tier":"1"})"));
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("unlabelled")).status, 204);
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("unlabelled/properties")).body, QByteArray("{}"));
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("broken"), "[1,").status, 400);
}

void TestAdminApi::statsAfterPublishConsumeAck()
{
    const QString topic = QStringLiteral("traffic");
    WsClient consumer(m_proxy->url(wsConsumer(topic, QStringLiteral("sub"), QStringLiteral("?consumerName=c1"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(m_proxy->url(wsProducer(topic) + QStringLiteral("?producerName=p1")));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 3; ++i)
        producer.send(sendFrame("payload-" + QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 3);
    QTRY_COMPARE(consumer.messages().size(), 3);
    consumer.send(
        QJsonObject{{QStringLiteral("messageId"), consumer.messages().first().value(QLatin1String("messageId"))}});

    QJsonObject sub;
    QTRY_VERIFY([&] {
        const HttpAnswer stats = http("GET", kTopicBase + topic + QStringLiteral("/stats"));
        sub = stats.object().value(QLatin1String("subscriptions")).toObject().value(QLatin1String("sub")).toObject();
        return stats.status == 200 && sub.value(QLatin1String("msgBacklog")).toInt() == 2;
    }());
    const HttpAnswer stats = http("GET", kTopicBase + topic + QStringLiteral("/stats"));
    const QJsonObject s = stats.object();
    QCOMPARE(s.value(QLatin1String("msgInCounter")).toInt(), 3);
    QCOMPARE(s.value(QLatin1String("bytesInCounter")).toInt(), 3 * 9);
    QCOMPARE(s.value(QLatin1String("msgOutCounter")).toInt(), 3);
    QVERIFY(s.value(QLatin1String("storageSize")).toInt() > 0);
    QCOMPARE(s.value(QLatin1String("deduplicationStatus")).toString(), QStringLiteral("Disabled"));
    QVERIFY(s.value(QLatin1String("ownerBroker")).toString().endsWith(QString::number(m_proxy->port())));
    QVERIFY(s.value(QLatin1String("lastPublishTimeStamp")).toDouble() > 0);
    QVERIFY(stats.body.startsWith("{\"msgRateIn\":0.0,\"msgThroughputIn\":0.0,"));

    const QJsonArray publishers = s.value(QLatin1String("publishers")).toArray();
    QCOMPARE(publishers.size(), 1);
    QCOMPARE(publishers[0].toObject().value(QLatin1String("producerName")).toString(), QStringLiteral("p1"));
    QVERIFY(publishers[0].toObject().value(QLatin1String("connectedSince")).toString().contains(QLatin1Char('T')));
    // Who is connected, as Pulsar's stats say it: the peer in Java's InetSocketAddress form, and the client version.
    const QString clientVersion = QStringLiteral("Pulsar-Desk-Proxy-v") + Proxy::ServiceConfig().version;
    QCOMPARE(publishers[0].toObject().value(QLatin1String("address")).toString(),
             QStringLiteral("/127.0.0.1:") + QString::number(producer.socket().localPort()));
    QCOMPARE(publishers[0].toObject().value(QLatin1String("clientVersion")).toString(), clientVersion);
    QCOMPARE(publishers[0].toObject().value(QLatin1String("supportsPartialProducer")).toBool(true), false);

    QCOMPARE(sub.value(QLatin1String("type")).toString(), QStringLiteral("Exclusive"));
    QCOMPARE(sub.value(QLatin1String("msgOutCounter")).toInt(), 3);
    QCOMPARE(sub.value(QLatin1String("unackedMessages")).toInt(), 2);
    QCOMPARE(sub.value(QLatin1String("activeConsumerName")).toString(), QStringLiteral("c1"));
    QCOMPARE(sub.value(QLatin1String("isDurable")).toBool(), true);
    QCOMPARE(sub.value(QLatin1String("durable")).toBool(), true);
    QCOMPARE(sub.value(QLatin1String("isReplicated")).toBool(false), false);
    QCOMPARE(sub.value(QLatin1String("replicated")).toBool(true), false);
    QVERIFY(sub.value(QLatin1String("backlogSize")).toInt() > 0);
    QVERIFY(sub.value(QLatin1String("lastAckedTimestamp")).toDouble() > 0);
    const QJsonArray consumers = sub.value(QLatin1String("consumers")).toArray();
    QCOMPARE(consumers.size(), 1);
    const QJsonObject c = consumers[0].toObject();
    QCOMPARE(c.value(QLatin1String("consumerName")).toString(), QStringLiteral("c1"));
    QCOMPARE(c.value(QLatin1String("address")).toString(),
             QStringLiteral("/127.0.0.1:") + QString::number(consumer.socket().localPort()));
    QCOMPARE(c.value(QLatin1String("clientVersion")).toString(), clientVersion);
    QCOMPARE(c.value(QLatin1String("msgOutCounter")).toInt(), 3);
    QCOMPARE(c.value(QLatin1String("unackedMessages")).toInt(), 2);
    QVERIFY(c.contains(QLatin1String("availablePermits")));
    QVERIFY(c.value(QLatin1String("lastAckedTime")).toString().contains(QLatin1Char('T')));

    // Query options: no publishers, no consumers, no backlog size.
    const QJsonObject lean =
        http("GET",
             kTopicBase + topic +
                 QStringLiteral("/stats?excludePublishers=true&excludeConsumers=true&subscriptionBacklogSize=false"))
            .object();
    QCOMPARE(lean.value(QLatin1String("publishers")).toArray().size(), 0);
    const QJsonObject leanSub =
        lean.value(QLatin1String("subscriptions")).toObject().value(QLatin1String("sub")).toObject();
    QCOMPARE(leanSub.value(QLatin1String("consumers")).toArray().size(), 0);
    QCOMPARE(leanSub.value(QLatin1String("backlogSize")).toInt(), -1);

    QCOMPARE(strings(http("GET", kTopicBase + topic + QStringLiteral("/subscriptions")).array()),
             QStringList{QStringLiteral("sub")});
}

void TestAdminApi::internalStatsCursor()
{
    const QString topic = QStringLiteral("cursor");
    QCOMPARE(publish(topic, {sendFrame("a"), sendFrame("b"), sendFrame("c")}).size(), 3);
    const qint64 ledger = ledgerOf(topic);
    QVERIFY(ledger >= 0);
    WsClient consumer(m_proxy->url(
        wsConsumer(topic, QStringLiteral("sub"), QStringLiteral("?subscriptionInitialPosition=Earliest"))));
    QVERIFY(consumer.waitConnected());
    QTRY_COMPARE(consumer.messages().size(), 3);
    // Ack the first and the third: the mark-delete moves to the first, the third is an individually deleted range.
    for (int i : {0, 2})
        consumer.send(
            QJsonObject{{QStringLiteral("messageId"), consumer.messages()[i].value(QLatin1String("messageId"))}});

    const QString l = QString::number(ledger);
    QJsonObject cursor;
    QTRY_VERIFY([&] {
        const QJsonObject internal = http("GET", kTopicBase + topic + QStringLiteral("/internalStats")).object();
        cursor = internal.value(QLatin1String("cursors")).toObject().value(QLatin1String("sub")).toObject();
        return cursor.value(QLatin1String("individuallyDeletedMessages")).toString() != QLatin1String("[]");
    }());
    QCOMPARE(cursor.value(QLatin1String("markDeletePosition")).toString(), l + QStringLiteral(":0"));
    QCOMPARE(cursor.value(QLatin1String("readPosition")).toString(), l + QStringLiteral(":3"));
    QCOMPARE(cursor.value(QLatin1String("individuallyDeletedMessages")).toString(),
             QStringLiteral("[(") + l + QStringLiteral(":1..") + l + QStringLiteral(":2]]"));
    QCOMPARE(cursor.value(QLatin1String("totalNonContiguousDeletedMessagesRange")).toInt(), 1);
    QCOMPARE(cursor.value(QLatin1String("state")).toString(), QStringLiteral("Open"));

    const QJsonObject internal = http("GET", kTopicBase + topic + QStringLiteral("/internalStats")).object();
    QCOMPARE(internal.value(QLatin1String("lastConfirmedEntry")).toString(), l + QStringLiteral(":2"));
    QCOMPARE(internal.value(QLatin1String("numberOfEntries")).toInt(), 3);
    QCOMPARE(internal.value(QLatin1String("entriesAddedCounter")).toInt(), 3);
    QCOMPARE(internal.value(QLatin1String("state")).toString(), QStringLiteral("LedgerOpened"));
    QVERIFY(internal.value(QLatin1String("totalSize")).toInt() > 0);
    const QJsonArray ledgers = internal.value(QLatin1String("ledgers")).toArray();
    QVERIFY(!ledgers.isEmpty());
    qint64 entries = 0;
    for (const auto v : ledgers) {
        QCOMPARE(qint64(v.toObject().value(QLatin1String("ledgerId")).toDouble()), ledger);
        entries += v.toObject().value(QLatin1String("entries")).toInt();
    }
    QCOMPARE(entries, 3);
    QCOMPARE(internal.value(QLatin1String("compactedLedger")).toObject().value(QLatin1String("ledgerId")).toInt(), -1);
}

void TestAdminApi::subscriptionsAtPositions()
{
    const QString topic = QStringLiteral("positions");
    QCOMPARE(publish(topic, {sendFrame("m0"), sendFrame("m1"), sendFrame("m2")}).size(), 3);
    const qint64 ledger = ledgerOf(topic);
    const auto backlogOf = [&](const QString &sub) {
        return http("GET", kTopicBase + topic + QStringLiteral("/stats"))
            .object()
            .value(QLatin1String("subscriptions"))
            .toObject()
            .value(sub)
            .toObject()
            .value(QLatin1String("msgBacklog"))
            .toInt(-1);
    };
    const QByteArray earliest =
        R"({"ledgerId":-1,"entryId":-1,"partitionIndex":-1,"isExcluded":false,"batchIndex":-1,"properties":{}})";
    const QByteArray latest = R"({"ledgerId":9223372036854775807,"entryId":9223372036854775807})";
    const QByteArray middle = "{\"ledgerId\":" + QByteArray::number(ledger) + ",\"entryId\":1}";
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/early"), earliest).status, 204);
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/late"), latest).status, 204);
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/mid"), middle).status, 204);
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/default")).status, 204);
    QCOMPARE(backlogOf(QStringLiteral("early")), 3);
    QCOMPARE(backlogOf(QStringLiteral("late")), 0);
    QCOMPARE(backlogOf(QStringLiteral("mid")), 2);
    QCOMPARE(backlogOf(QStringLiteral("default")), 0);
    HttpAnswer again = http("PUT", kTopicBase + topic + QStringLiteral("/subscription/early"), earliest);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.reason(), QStringLiteral("Subscription already exists for topic"));
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/bad"), "{oops").status, 400);
    QCOMPARE(strings(http("GET", kTopicBase + topic + QStringLiteral("/subscriptions")).array()),
             (QStringList{QStringLiteral("default"), QStringLiteral("early"), QStringLiteral("late"),
                          QStringLiteral("mid")}));

    // A consumer of "mid" starts at m1.
    WsClient consumer(m_proxy->url(wsConsumer(topic, QStringLiteral("mid"))));
    QVERIFY(consumer.waitConnected());
    QTRY_COMPARE(consumer.messages().size(), 2);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("m1"));

    // A subscription on a topic that does not exist yet creates it (auto-creation is on).
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("brand-new/subscription/s")).status, 204);
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("brand-new/stats")).status, 200);

    HttpAnswer busy = http("DELETE", kTopicBase + topic + QStringLiteral("/subscription/mid"));
    QCOMPARE(busy.status, 412);
    QCOMPARE(busy.reason(), QStringLiteral("Subscription has active connected consumers"));
    QCOMPARE(http("DELETE", kTopicBase + topic + QStringLiteral("/subscription/early")).status, 204);
    HttpAnswer missing = http("DELETE", kTopicBase + topic + QStringLiteral("/subscription/early"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.reason(),
             QStringLiteral("Subscription early not found for topic persistent://public/default/positions"));
    QCOMPARE(http("DELETE", kTopicBase + topic + QStringLiteral("/subscription/mid?force=true")).status, 204);
    QVERIFY(!strings(http("GET", kTopicBase + topic + QStringLiteral("/subscriptions")).array())
                 .contains(QStringLiteral("mid")));
}

void TestAdminApi::peekHeadersAndBody()
{
    const QString topic = QStringLiteral("peek");
    QJsonObject frame = sendFrame(QByteArray("\x00\x01binary\xff", 9), QString(),
                                  properties(QStringLiteral("color"), QStringLiteral("red")), QStringLiteral("key-1"));
    frame.insert(QStringLiteral("eventTime"), QStringLiteral("2021-10-29T23:01:38.12Z"));
    QCOMPARE(publish(topic + QStringLiteral("?producerName=peeker"), {frame, sendFrame("second")}).size(), 2);
    const qint64 ledger = ledgerOf(topic);
    QCOMPARE(
        http("PUT", kTopicBase + topic + QStringLiteral("/subscription/s"), R"({"ledgerId":-1,"entryId":-1})").status,
        204);

    const HttpAnswer first = http("GET", kTopicBase + topic + QStringLiteral("/subscription/s/position/1"));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, QByteArray("\x00\x01binary\xff", 9));
    QCOMPARE(first.header("Content-Type"), QByteArray("application/octet-stream"));
    QCOMPARE(first.header("X-Pulsar-Message-ID"), QByteArray::number(ledger) + ":0");
    QCOMPARE(first.header("X-Pulsar-PROPERTY-color"), QByteArray("red"));
    QCOMPARE(first.header("X-Pulsar-PROPERTY"), QByteArray(R"({"color":"red"})"));
    QCOMPARE(first.header("X-Pulsar-producer-name"), QByteArray("peeker"));
    QCOMPARE(first.header("X-Pulsar-partition-key"), QByteArray("key-1"));
    QCOMPARE(first.header("X-Pulsar-partition-key-b64-encoded"), QByteArray("false"));
    QCOMPARE(first.header("X-Pulsar-Is-Encrypted"), QByteArray("false"));
    QCOMPARE(first.header("X-Pulsar-uncompressed-size"), QByteArray("9"));
    QCOMPARE(first.header("X-Pulsar-event-time"), Pulsar::formatPulsarTimeLocal(1635548498120).toLatin1());
    // The spec 3.0 date format, in the service's time zone.
    const QRegularExpression iso(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$)"));
    QVERIFY2(iso.match(QString::fromLatin1(first.header("X-Pulsar-publish-time"))).hasMatch(),
             first.header("X-Pulsar-publish-time").constData());
    QVERIFY(!first.hasHeader("X-Pulsar-deliver-at-time"));

    const HttpAnswer second = http("GET", kTopicBase + topic + QStringLiteral("/subscription/s/position/2"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, QByteArray("second"));
    QCOMPARE(second.header("X-Pulsar-Message-ID"), QByteArray::number(ledger) + ":1");
    QCOMPARE(second.header("X-Pulsar-PROPERTY"), QByteArray("{}"));
    QVERIFY(!second.hasHeader("X-Pulsar-partition-key"));
    QVERIFY(!second.hasHeader("X-Pulsar-event-time"));

    HttpAnswer beyond = http("GET", kTopicBase + topic + QStringLiteral("/subscription/s/position/3"));
    QCOMPARE(beyond.status, 404);
    QCOMPARE(beyond.reason(), QStringLiteral("Message not found"));
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/subscription/s/position/x")).status, 404);

    // Peeking skips acknowledged messages: after skipping one, position 1 is the second message.
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/s/skip/1")).status, 204);
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/subscription/s/position/1")).body, QByteArray("second"));

    // Peeking a subscription that does not exist creates it at the earliest message, as Pulsar does.
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/subscription/fresh/position/1")).body.size(), 9);
    QVERIFY(strings(http("GET", kTopicBase + topic + QStringLiteral("/subscriptions")).array())
                .contains(QStringLiteral("fresh")));
}

void TestAdminApi::examineAndGetById()
{
    const QString topic = QStringLiteral("examine");
    QCOMPARE(http("PUT", kTopicBase + topic).status, 204);
    HttpAnswer empty =
        http("GET", kTopicBase + topic + QStringLiteral("/examinemessage?initialPosition=earliest&messagePosition=1"));
    QCOMPARE(empty.status, 412);
    QCOMPARE(empty.reason(), QStringLiteral("Could not examine messages due to the total message is zero"));

    QCOMPARE(publish(topic, {sendFrame("e0"), sendFrame("e1"), sendFrame("e2")}).size(), 3);
    const qint64 ledger = ledgerOf(topic);
    const auto examine = [&](const QString &query) {
        return http("GET", kTopicBase + topic + QStringLiteral("/examinemessage") + query).body;
    };
    QCOMPARE(examine(QStringLiteral("?initialPosition=earliest&messagePosition=1")), QByteArray("e0"));
    QCOMPARE(examine(QStringLiteral("?initialPosition=earliest&messagePosition=2")), QByteArray("e1"));
    QCOMPARE(examine(QStringLiteral("?initialPosition=latest&messagePosition=1")), QByteArray("e2"));
    QCOMPARE(examine(QStringLiteral("?initialPosition=latest&messagePosition=3")), QByteArray("e0"));
    // Defaults: latest, position 1.
    QCOMPARE(examine(QString()), QByteArray("e2"));

    const QString byId =
        kTopicBase + topic + QStringLiteral("/ledger/") + QString::number(ledger) + QStringLiteral("/entry/");
    const HttpAnswer one = http("GET", byId + QStringLiteral("1"));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body, QByteArray("e1"));
    QCOMPARE(one.header("X-Pulsar-Message-ID"), QByteArray::number(ledger) + ":1");
    HttpAnswer noEntry = http("GET", byId + QStringLiteral("7"));
    QCOMPARE(noEntry.status, 404);
    QCOMPARE(noEntry.reason(), QStringLiteral("Message id not found"));
    HttpAnswer otherLedger = http("GET", kTopicBase + topic + QStringLiteral("/ledger/") +
                                             QString::number(ledger + 1000) + QStringLiteral("/entry/0"));
    QCOMPARE(otherLedger.status, 404);
    QCOMPARE(otherLedger.reason(), QStringLiteral("Message id not found"));
}

void TestAdminApi::skipAndSkipAllSeenByConsumer()
{
    const QString topic = QStringLiteral("skipping");
    QList<QJsonObject> frames;
    for (int i = 0; i < 5; ++i)
        frames.append(sendFrame("s" + QByteArray::number(i)));
    QCOMPARE(publish(topic, frames).size(), 5);
    QCOMPARE(
        http("PUT", kTopicBase + topic + QStringLiteral("/subscription/sub"), R"({"ledgerId":-1,"entryId":-1})").status,
        204);
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/skip/2")).status, 204);
    HttpAnswer noSub = http("POST", kTopicBase + topic + QStringLiteral("/subscription/other/skip/2"));
    QCOMPARE(noSub.status, 404);
    QCOMPARE(noSub.reason(),
             QStringLiteral("Subscription other not found for topic persistent://public/default/skipping"));

    WsClient consumer(m_proxy->url(wsConsumer(topic, QStringLiteral("sub"))));
    QVERIFY(consumer.waitConnected());
    QTRY_COMPARE(consumer.messages().size(), 3);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("s2"));
    QCOMPARE(payloadOf(consumer.messages()[2]), QByteArray("s4"));

    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/skip_all")).status, 204);
    const QJsonObject sub = http("GET", kTopicBase + topic + QStringLiteral("/stats"))
                                .object()
                                .value(QLatin1String("subscriptions"))
                                .toObject()
                                .value(QLatin1String("sub"))
                                .toObject();
    QCOMPARE(sub.value(QLatin1String("msgBacklog")).toInt(-1), 0);
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/skip_all/extra")).status, 404);
}

void TestAdminApi::resetCursorToTimeSeenByConsumer()
{
    const QString topic = QStringLiteral("rewind");
    QCOMPARE(publish(topic, {sendFrame("a0"), sendFrame("a1")}).size(), 2);
    // Wait for the clock (not a fixed sleep) so that the second batch is published strictly after `between`.
    const qint64 between = QDateTime::currentMSecsSinceEpoch() + 1;
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > between; }, 1000));
    QCOMPARE(publish(topic, {sendFrame("b0"), sendFrame("b1")}).size(), 2);

    WsClient consumer(
        m_proxy->url(wsConsumer(topic, QStringLiteral("sub"), QStringLiteral("?subscriptionType=Shared"))));
    QVERIFY(consumer.waitConnected());
    QTRY_COMPARE(http("GET", kTopicBase + topic + QStringLiteral("/subscriptions")).status, 200);
    QCOMPARE(consumer.messages().size(), 0); // subscribed at the latest message

    QCOMPARE(
        http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/resetcursor/") + QString::number(between))
            .status,
        204);
    QTRY_COMPARE(consumer.messages().size(), 2);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("b0"));
    QCOMPARE(payloadOf(consumer.messages()[1]), QByteArray("b1"));

    consumer.clear();
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/resetcursor/0")).status, 204);
    QTRY_COMPARE(consumer.messages().size(), 4);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("a0"));

    // Reset to a position (message id body).
    consumer.clear();
    const QByteArray position = "{\"ledgerId\":" + QByteArray::number(ledgerOf(topic)) + ",\"entryId\":3}";
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/resetcursor"), position).status, 204);
    QTRY_COMPARE(consumer.messages().size(), 1);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("b1"));
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/subscription/sub/resetcursor/notatime")).status, 404);
}

void TestAdminApi::expireMessages()
{
    const QString topic = QStringLiteral("expiry");
    QCOMPARE(http("PUT", kTopicBase + topic + QStringLiteral("/subscription/sub")).status, 204);
    const QString expire = kTopicBase + topic + QStringLiteral("/subscription/sub/expireMessages/");
    HttpAnswer nothing = http("POST", expire + QStringLiteral("0"));
    QCOMPARE(nothing.status, 409); // an empty backlog: nothing to issue, as in Pulsar
    QVERIFY(nothing.reason().startsWith(QLatin1String("Expire message by timestamp not issued on topic ")));

    QCOMPARE(publish(topic, {sendFrame("old0"), sendFrame("old1"), sendFrame("old2")}).size(), 3);
    const auto backlog = [&] {
        return http("GET", kTopicBase + topic + QStringLiteral("/stats"))
            .object()
            .value(QLatin1String("subscriptions"))
            .toObject()
            .value(QLatin1String("sub"))
            .toObject()
            .value(QLatin1String("msgBacklog"))
            .toInt(-1);
    };
    QCOMPARE(backlog(), 3);
    // Nothing is an hour old yet.
    QCOMPARE(http("POST", expire + QStringLiteral("3600")).status, 204);
    QCOMPARE(backlog(), 3);
    // 0 is "no TTL" (MessageImpl.isEntryExpired): issued, nothing expires.
    const qint64 published = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(http("POST", expire + QStringLiteral("0")).status, 204);
    QCOMPARE(backlog(), 3);
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > published + 1000; }, 3000));
    QCOMPARE(http("POST", expire + QStringLiteral("1")).status, 204);
    QCOMPARE(backlog(), 0);

    // The expired messages are gone for a consumer; a new one arrives.
    WsClient consumer(m_proxy->url(wsConsumer(topic, QStringLiteral("sub"))));
    QVERIFY(consumer.waitConnected());
    QCOMPARE(publish(topic, {sendFrame("fresh")}).size(), 1);
    QTRY_COMPARE(consumer.messages().size(), 1);
    QCOMPARE(payloadOf(consumer.messages()[0]), QByteArray("fresh"));
    // A connected, nearly caught-up subscription with nothing expired is left alone: 409.
    QCOMPARE(http("POST", expire + QStringLiteral("3600")).status, 409);
    HttpAnswer noSub = http("POST", kTopicBase + topic + QStringLiteral("/subscription/none/expireMessages/1"));
    QCOMPARE(noSub.status, 404);
    QCOMPARE(noSub.reason(),
             QStringLiteral("Subscription none not found for topic persistent://public/default/expiry"));
}

void TestAdminApi::partitionedTopicOperations()
{
    const QString base = QStringLiteral("pt");
    QCOMPARE(http("PUT", kTopicBase + base + QStringLiteral("/partitions"), "2").status, 204);
    QCOMPARE(
        http("PUT", kTopicBase + base + QStringLiteral("/subscription/s"), R"({"ledgerId":-1,"entryId":-1})").status,
        204);
    HttpAnswer twice = http("PUT", kTopicBase + base + QStringLiteral("/subscription/s"));
    QCOMPARE(twice.status, 409);
    QCOMPARE(strings(http("GET", kTopicBase + base + QStringLiteral("/subscriptions")).array()),
             QStringList{QStringLiteral("s")});
    QCOMPARE(publish(base + QStringLiteral("-partition-0"), {sendFrame("p0a"), sendFrame("p0b")}).size(), 2);
    QCOMPARE(publish(base + QStringLiteral("-partition-1"), {sendFrame("p1a")}).size(), 1);

    const HttpAnswer stats = http("GET", kTopicBase + base + QStringLiteral("/partitioned-stats"));
    QCOMPARE(stats.status, 200);
    const QJsonObject s = stats.object();
    QCOMPARE(s.value(QLatin1String("msgInCounter")).toInt(), 3);
    QCOMPARE(s.value(QLatin1String("metadata")).toObject().value(QLatin1String("partitions")).toInt(), 2);
    const QJsonObject sub = s.value(QLatin1String("subscriptions")).toObject().value(QLatin1String("s")).toObject();
    QCOMPARE(sub.value(QLatin1String("msgBacklog")).toInt(), 3);
    QCOMPARE(sub.value(QLatin1String("durable")).toBool(), true);
    const QJsonObject partitions = s.value(QLatin1String("partitions")).toObject();
    QCOMPARE(partitions.size(), 2);
    QCOMPARE(partitions.value(QLatin1String("persistent://public/default/pt-partition-0"))
                 .toObject()
                 .value(QLatin1String("msgInCounter"))
                 .toInt(),
             2);
    QCOMPARE(partitions.value(QLatin1String("persistent://public/default/pt-partition-1"))
                 .toObject()
                 .value(QLatin1String("msgInCounter"))
                 .toInt(),
             1);
    const QJsonObject aggregateOnly =
        http("GET", kTopicBase + base + QStringLiteral("/partitioned-stats?perPartition=false")).object();
    QCOMPARE(aggregateOnly.value(QLatin1String("partitions")).toObject().size(), 0);
    QCOMPARE(aggregateOnly.value(QLatin1String("msgInCounter")).toInt(), 3);

    const QJsonObject internal = http("GET", kTopicBase + base + QStringLiteral("/partitioned-internalStats")).object();
    QCOMPARE(internal.value(QLatin1String("metadata")).toObject().value(QLatin1String("partitions")).toInt(), 2);
    QCOMPARE(internal.value(QLatin1String("partitions")).toObject().size(), 2);

    // Operations Pulsar refuses on a partitioned topic.
    const auto refused = [&](const QByteArray &method, const QString &tail, const QString &reason) {
        const HttpAnswer answer = http(method, kTopicBase + base + tail);
        return answer.status == 405 && answer.reason() == reason;
    };
    QVERIFY(refused("GET", QStringLiteral("/subscription/s/position/1"),
                    QStringLiteral("Peek messages on a partitioned topic is not allowed")));
    QVERIFY(refused("POST", QStringLiteral("/subscription/s/skip/1"),
                    QStringLiteral("Skip messages on a partitioned topic is not allowed")));
    QVERIFY(refused("POST", QStringLiteral("/terminate"),
                    QStringLiteral("Termination of a partitioned topic is not allowed")));
    QVERIFY(refused("GET", QStringLiteral("/examinemessage"),
                    QStringLiteral("Examine messages on a partitioned topic is not allowed, please try examine message "
                                   "on specific topic partition")));
    QVERIFY(refused("GET", QStringLiteral("/ledger/1/entry/0"),
                    QStringLiteral("GetMessageById is not allowed on partitioned-topic")));
    QCOMPARE(http("GET", kTopicBase + base + QStringLiteral("/stats")).status, 404);

    // Operations spread over the partitions.
    const auto backlog = [&] {
        return http("GET", kTopicBase + base + QStringLiteral("/partitioned-stats"))
            .object()
            .value(QLatin1String("subscriptions"))
            .toObject()
            .value(QLatin1String("s"))
            .toObject()
            .value(QLatin1String("msgBacklog"))
            .toInt(-1);
    };
    QCOMPARE(http("POST", kTopicBase + base + QStringLiteral("/subscription/s/skip_all")).status, 204);
    QCOMPARE(backlog(), 0);
    QCOMPARE(http("POST", kTopicBase + base + QStringLiteral("/subscription/s/resetcursor/0")).status, 204);
    QCOMPARE(backlog(), 3);
    // A TTL of 0 means "no TTL" (MessageImpl.isEntryExpired): issued, nothing expires. One second expires all
    // three once they are older than that.
    const qint64 published = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(http("POST", kTopicBase + base + QStringLiteral("/subscription/s/expireMessages/0")).status, 204);
    QCOMPARE(backlog(), 3);
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > published + 1000; }, 3000));
    QCOMPARE(http("POST", kTopicBase + base + QStringLiteral("/subscription/s/expireMessages/1")).status, 204);
    QCOMPARE(backlog(), 0);
    HttpAnswer missingSub = http("POST", kTopicBase + base + QStringLiteral("/subscription/x/skip_all"));
    QCOMPARE(missingSub.status, 404);
    QCOMPARE(missingSub.reason(), QStringLiteral("Subscription x not found for topic persistent://public/default/pt"));
    QCOMPARE(http("PUT", kTopicBase + base + QStringLiteral("/unload")).status, 204);
    QCOMPARE(http("DELETE", kTopicBase + base + QStringLiteral("/subscription/s")).status, 204);
    QCOMPARE(strings(http("GET", kTopicBase + base + QStringLiteral("/subscriptions")).array()), QStringList());
    HttpAnswer deletedSub = http("DELETE", kTopicBase + base + QStringLiteral("/subscription/s"));
    QCOMPARE(deletedSub.status, 404);
    QCOMPARE(deletedSub.reason(), QStringLiteral("Subscription not found"));
}

void TestAdminApi::deleteRefusedWhileConnected()
{
    const QString topic = QStringLiteral("busy");
    WsClient producer(m_proxy->url(wsProducer(topic)));
    QVERIFY(producer.waitConnected());
    HttpAnswer busy = http("DELETE", kTopicBase + topic);
    QCOMPARE(busy.status, 412);
    QCOMPARE(busy.reason(), QStringLiteral("Topic has active producers/subscriptions"));
    QCOMPARE(http("DELETE", kTopicBase + topic + QStringLiteral("?force=true")).status, 204);
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/stats")).status, 404);

    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("busyparted/partitions"), "2").status, 204);
    WsClient partitionProducer(m_proxy->url(wsProducer(QStringLiteral("busyparted"))));
    QVERIFY(partitionProducer.waitConnected());
    HttpAnswer busyParted = http("DELETE", kTopicBase + QStringLiteral("busyparted/partitions"));
    QCOMPARE(busyParted.status, 412);
    QCOMPARE(busyParted.reason(), QStringLiteral("Topic has active producers/subscriptions"));
    QCOMPARE(http("DELETE", kTopicBase + QStringLiteral("busyparted/partitions?force=true")).status, 204);
}

void TestAdminApi::terminateAndLastMessageId()
{
    const QString topic = QStringLiteral("ending");
    QCOMPARE(http("PUT", kTopicBase + topic).status, 204);
    const qint64 ledger = ledgerOf(topic);
    const QByteArray l = QByteArray::number(ledger);
    // An empty topic's last id has entry -1, as a ledger with no entries.
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/lastMessageId")).body,
             "{\"ledgerId\":" + l + ",\"entryId\":-1,\"partitionIndex\":-1}");
    QCOMPARE(publish(topic, {sendFrame("x"), sendFrame("y")}).size(), 2);
    const QByteArray last = "{\"ledgerId\":" + l + ",\"entryId\":1,\"partitionIndex\":-1}";
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/lastMessageId")).body, last);
    const HttpAnswer terminated = http("POST", kTopicBase + topic + QStringLiteral("/terminate"));
    QCOMPARE(terminated.status, 200);
    QCOMPARE(terminated.body, last);
    // Terminating again answers the same id.
    QCOMPARE(http("POST", kTopicBase + topic + QStringLiteral("/terminate")).body, last);
    // A producer is now refused.
    const QList<QJsonObject> refused = publish(topic, {sendFrame("z")});
    QVERIFY(refused.isEmpty() || refused.first().value(QLatin1String("result")).toString() != QLatin1String("ok"));

    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("pp/partitions"), "2").status, 204);
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("pp-partition-1/lastMessageId"))
                 .object()
                 .value(QLatin1String("partitionIndex"))
                 .toInt(),
             1);
}

void TestAdminApi::nonPersistentTopics()
{
    const QString np = QStringLiteral("/admin/v2/non-persistent/public/default/");
    WsClient producer(m_proxy->url(QStringLiteral("/ws/v2/producer/non-persistent/public/default/live")));
    QVERIFY(producer.waitConnected());
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/non-persistent/public/default")).array()),
             QStringList{QStringLiteral("non-persistent://public/default/live")});
    producer.send(sendFrame("gone"));
    QTRY_COMPARE(producer.count(), 1);
    const QJsonObject stats = http("GET", np + QStringLiteral("live/stats")).object();
    QCOMPARE(stats.value(QLatin1String("msgInCounter")).toInt(), 1);
    QVERIFY(stats.contains(QLatin1String("msgDropRate")));
    QCOMPARE(stats.value(QLatin1String("storageSize")).toInt(-1), 0);
    QCOMPARE(http("GET", np + QStringLiteral("live/internalStats"))
                 .object()
                 .value(QLatin1String("entriesAddedCounter"))
                 .toInt(),
             1);
    const auto refused = [&](const QByteArray &method, const QString &tail, const QString &reason) {
        const HttpAnswer answer = http(method, np + QStringLiteral("live") + tail);
        return answer.status == 405 && answer.reason() == reason;
    };
    QVERIFY(refused("GET", QStringLiteral("/subscription/s/position/1"),
                    QStringLiteral("Peek messages on a non-persistent topic is not allowed")));
    QVERIFY(refused("GET", QStringLiteral("/examinemessage"),
                    QStringLiteral("Examine messages on a non-persistent topic is not allowed")));
    QVERIFY(refused("POST", QStringLiteral("/terminate"),
                    QStringLiteral("Termination of a non-persistent topic is not allowed")));
    QVERIFY(refused("GET", QStringLiteral("/lastMessageId"),
                    QStringLiteral("GetLastMessageId on a non-persistent topic is not allowed")));
}

void TestAdminApi::unload()
{
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("loaded")).status, 204);
    QCOMPARE(http("PUT", kTopicBase + QStringLiteral("loaded/unload")).status, 204);
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("loaded/stats")).status, 200);
    QCOMPARE(http("GET", kTopicBase + QStringLiteral("loaded/unload")).status, 405);
}

void TestAdminApi::metadataSurvivesRestart()
{
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/tenants/keep"),
                  R"({"adminRoles":["a"],"allowedClusters":["standalone"]})")
                 .status,
             204);
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/namespaces/keep/ns")).status, 204);
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/persistent/keep/ns/parts/partitions"), "3").status, 204);
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/persistent/keep/ns/parts/subscription/durable")).status, 204);
    QCOMPARE(http("PUT", QStringLiteral("/admin/v2/persistent/keep/ns/single"), R"({"k":"v"})").status, 204);

    QVERIFY(m_proxy->restart());

    QVERIFY(strings(http("GET", QStringLiteral("/admin/v2/tenants")).array()).contains(QStringLiteral("keep")));
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/tenants/keep")).body,
             QByteArray(R"({"adminRoles":["a"],"allowedClusters":["standalone"]})"));
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/namespaces/keep")).array()),
             QStringList{QStringLiteral("keep/ns")});
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/persistent/keep/ns/partitioned")).array()),
             QStringList{QStringLiteral("persistent://keep/ns/parts")});
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/persistent/keep/ns/parts/partitions")).body,
             QByteArray(R"({"partitions":3,"deleted":false})"));
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/v2/persistent/keep/ns/parts/subscriptions")).array()),
             QStringList{QStringLiteral("durable")});
    QCOMPARE(http("GET", QStringLiteral("/admin/v2/persistent/keep/ns/single/properties")).body,
             QByteArray(R"({"k":"v"})"));
}

void TestAdminApi::peekReadsFromDiskAfterRestart()
{
    const QString topic = QStringLiteral("cold");
    QList<QJsonObject> frames;
    for (int i = 0; i < 20; ++i)
        frames.append(sendFrame("cold-" + QByteArray::number(i)));
    QCOMPARE(publish(topic, frames).size(), 20);
    QCOMPARE(
        http("PUT", kTopicBase + topic + QStringLiteral("/subscription/s"), R"({"ledgerId":-1,"entryId":-1})").status,
        204);
    QVERIFY(m_proxy->restart());

    // Nothing of the topic is in memory after the restart, so the answers below need reads on the store's thread.
    QVERIFY(m_proxy->store()->readCached(QStringLiteral("persistent://public/default/cold"), 14, 1, 1 << 20).isEmpty());
    // Straight through AdminApi, whose answer then comes after handle() returned.
    Proxy::AdminApi api(m_proxy->broker(), Proxy::ServiceConfig());
    const auto ask = [&](const QByteArray &target) {
        Proxy::HttpRequestHead head;
        head.method = "GET";
        head.rawTarget = target;
        head.version = "HTTP/1.1";
        auto answer = std::make_shared<QByteArray>();
        api.handle(head, head.rawPath(), QByteArray(), true,
                   [answer](const QByteArray &response) { *answer = response; });
        // An empty answer after the wait fails the comparisons below.
        (void)QTest::qWaitFor([&] { return !answer->isEmpty(); }, 10000);
        return *answer;
    };
    const QByteArray base = kTopicBase.toUtf8() + topic.toUtf8();
    const QByteArray peeked = ask(base + "/subscription/s/position/15");
    QVERIFY2(peeked.startsWith("HTTP/1.1 200 "), peeked.left(200).constData());
    QVERIFY(peeked.endsWith("\r\n\r\ncold-14"));
    const QByteArray examined = ask(base + "/examinemessage?initialPosition=earliest&messagePosition=3");
    QVERIFY(examined.endsWith("\r\n\r\ncold-2"));

    // Expiry and reset by time read publish times from disk too.
    const qint64 published = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > published + 1000; }, 3000));
    Proxy::HttpRequestHead post;
    post.method = "POST";
    post.rawTarget = base + "/subscription/s/expireMessages/1";
    post.version = "HTTP/1.1";
    auto expired = std::make_shared<QByteArray>();
    api.handle(post, post.rawPath(), QByteArray(), true, [expired](const QByteArray &r) { *expired = r; });
    QTRY_VERIFY(!expired->isEmpty());
    QVERIFY(expired->startsWith("HTTP/1.1 204 "));
    QCOMPARE(http("GET", kTopicBase + topic + QStringLiteral("/stats"))
                 .object()
                 .value(QLatin1String("subscriptions"))
                 .toObject()
                 .value(QLatin1String("s"))
                 .toObject()
                 .value(QLatin1String("msgBacklog"))
                 .toInt(-1),
             0);
}

void TestAdminApi::v1NamespaceLifecycle()
{
    // The tenant's list holds v1 and v2 namespaces alike, under both prefixes; v1 also lists by cluster.
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/namespaces/sample")).array()), QStringList{kV1Namespace});
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/namespaces/sample/standalone")).array()),
             QStringList{kV1Namespace});
    const HttpAnswer noCluster = http("GET", QStringLiteral("/admin/namespaces/sample/mars"));
    QCOMPARE(noCluster.status, 404);
    QCOMPARE(noCluster.reason(), QStringLiteral("Cluster does not exist"));
    QCOMPARE(http("POST", QStringLiteral("/admin/namespaces/sample/standalone")).status, 405);

    const QString ns = QStringLiteral("/admin/namespaces/public/standalone/v1ns");
    QCOMPARE(http("PUT", ns).status, 204);
    const HttpAnswer again = http("PUT", ns);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.reason(), QStringLiteral("Namespace already exists"));
    QVERIFY(strings(http("GET", QStringLiteral("/admin/v2/namespaces/public")).array())
                .contains(QStringLiteral("public/standalone/v1ns")));
    QVERIFY(strings(http("GET", QStringLiteral("/admin/namespaces/public")).array())
                .contains(QStringLiteral("public/standalone/v1ns")));
    QCOMPARE(strings(http("GET", QStringLiteral("/admin/namespaces/public/standalone")).array()),
             QStringList{QStringLiteral("public/standalone/v1ns")});
    // v1 creation checks the tenant's clusters (validateClusterForTenant).
    const HttpAnswer otherCluster = http("PUT", QStringLiteral("/admin/namespaces/public/mars/x"));
    QCOMPARE(otherCluster.status, 403);
    QCOMPARE(otherCluster.reason(),
             QStringLiteral("Cluster [mars] is not in the list of allowed clusters list for tenant [public]"));
    const HttpAnswer noTenant = http("PUT", QStringLiteral("/admin/namespaces/nobody/standalone/x"));
    QCOMPARE(noTenant.status, 404);
    QCOMPARE(noTenant.reason(), QStringLiteral("Tenant does not exist"));
    const HttpAnswer badName = http("PUT", QStringLiteral("/admin/namespaces/public/standalone/bad%20name"));
    QCOMPARE(badName.status, 412);
    QCOMPARE(badName.reason(), QStringLiteral("Namespace name is not valid"));

    const HttpAnswer policies = http("GET", ns);
    QCOMPARE(policies.status, 200);
    QCOMPARE(policies.object().value(QLatin1String("bundles")).toObject().value(QLatin1String("numBundles")).toInt(),
             4);

    // A topic made over the v1 WebSocket path lives in the v1 namespace and keeps it from being deleted.
    {
        WsClient producer(
            m_proxy->url(wsV1(QStringLiteral("producer"), QStringLiteral("persistent/public/standalone/v1ns/t"))));
        QVERIFY(producer.waitConnected());
        producer.send(sendFrame("x"));
        QTRY_COMPARE(producer.count(), 1);
    }
    QCOMPARE(strings(http("GET", ns + QStringLiteral("/destinations")).array()),
             QStringList{QStringLiteral("persistent://public/standalone/v1ns/t")});
    const HttpAnswer notEmpty = http("DELETE", ns);
    QCOMPARE(notEmpty.status, 409);
    QCOMPARE(notEmpty.reason(), QStringLiteral("Cannot delete non empty namespace"));
    // The producer is gone once the topic has no publishers (the close reaches the service asynchronously).
    QTRY_COMPARE(http("GET", QStringLiteral("/admin/persistent/public/standalone/v1ns/t/stats"))
                     .object()
                     .value(QLatin1String("publishers"))
                     .toArray()
                     .size(),
                 0);
    QCOMPARE(http("DELETE", QStringLiteral("/admin/persistent/public/standalone/v1ns/t")).status, 204);
    QCOMPARE(http("DELETE", ns).status, 204);
    const HttpAnswer gone = http("GET", ns);
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.reason(), QStringLiteral("Namespace does not exist"));
}

void TestAdminApi::v1TopicRoutes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    // A text the body must contain (2xx), or the exact reason (errors).
    QTest::addColumn<QString>("expect");
    const QString full = QStringLiteral("persistent://sample/standalone/ns1/t");
    const auto row = [](const char *name, const QByteArray &method, const QString &path, int status,
                        const QString &expect) { QTest::addRow("%s", name) << method << path << status << expect; };
    row("topic list", "GET", QStringLiteral("/admin/persistent/sample/standalone/ns1"), 200, full);
    row("namespace topics", "GET", QStringLiteral("/admin/namespaces/sample/standalone/ns1/destinations?mode=ALL"), 200,
        QStringLiteral("non-persistent://sample/standalone/ns1/np"));
    row("partitioned list", "GET", QStringLiteral("/admin/persistent/sample/standalone/ns1/partitioned"), 200,
        QString::fromUtf8(R"(["persistent://sample/standalone/ns1/parted"])"));
    row("partitions of a topic", "GET", kV1TopicBase + QStringLiteral("t/partitions"), 200,
        QString::fromUtf8(R"({"partitions":0,"deleted":false})"));
    row("partitions of a partitioned topic", "GET", kV1TopicBase + QStringLiteral("parted/partitions"), 200,
        QString::fromUtf8(R"({"partitions":2,"deleted":false})"));
    row("stats", "GET", kV1TopicBase + QStringLiteral("t/stats"), 200, QString::fromUtf8(R"("msgInCounter":3,)"));
    row("internal stats", "GET", kV1TopicBase + QStringLiteral("t/internalStats"), 200,
        QString::fromUtf8(R"("numberOfEntries":3,)"));
    row("partitioned stats", "GET", kV1TopicBase + QStringLiteral("parted/partitioned-stats"), 200,
        QString::fromUtf8(R"("metadata":{"partitions":2)"));
    row("subscriptions", "GET", kV1TopicBase + QStringLiteral("t/subscriptions"), 200, QString::fromUtf8(R"(["sub"])"));
    row("last message id", "GET", kV1TopicBase + QStringLiteral("t/lastMessageId"), 200,
        QString::fromUtf8(R"("entryId":2,)"));
    row("peek", "GET", kV1TopicBase + QStringLiteral("t/subscription/sub/position/2"), 200, QStringLiteral("m1"));
    // v1 NonPersistentTopics.getList lists every topic of the namespace's bundles, the persistent ones included.
    row("non-persistent list", "GET", QStringLiteral("/admin/non-persistent/sample/standalone/ns1"), 200,
        QString::fromUtf8(R"(["non-persistent://sample/standalone/ns1/np","persistent://)"));
    row("non-persistent stats", "GET", QStringLiteral("/admin/non-persistent/sample/standalone/ns1/np/stats"), 200,
        QString::fromUtf8(R"("producerName":"np-producer")"));
    row("terminate", "POST", kV1TopicBase + QStringLiteral("t/terminate"), 200, QString::fromUtf8(R"("entryId":2,)"));
    row("missing topic", "GET", kV1TopicBase + QStringLiteral("nope/stats"), 404,
        QStringLiteral("Topic persistent://sample/standalone/ns1/nope not found"));
    row("missing non-persistent topic", "GET", QStringLiteral("/admin/non-persistent/sample/standalone/ns1/nope/stats"),
        404, QStringLiteral("Topic non-persistent://sample/standalone/ns1/nope not found"));
    row("busy topic", "DELETE", kV1TopicBase + QStringLiteral("t"), 412,
        QStringLiteral("Topic has active producers/subscriptions"));
    row("subscription on non-persistent", "PUT",
        QStringLiteral("/admin/non-persistent/sample/standalone/ns1/np/subscription/s"), 400,
        QStringLiteral("Create subscription on non-persistent topic can only be done through client"));
    row("unknown namespace", "GET", QStringLiteral("/admin/persistent/sample/standalone/nowhere"), 404,
        QStringLiteral("Namespace does not exist"));
    // v1 topic resources do not check the namespace first.
    row("unknown namespace of a topic", "GET", QStringLiteral("/admin/persistent/sample/standalone/nowhere/t/stats"),
        404, QStringLiteral("Topic persistent://sample/standalone/nowhere/t not found"));
    row("unknown namespace policies", "GET", QStringLiteral("/admin/namespaces/sample/standalone/nowhere"), 404,
        QStringLiteral("Namespace does not exist"));
    row("unknown namespace topics", "GET", QStringLiteral("/admin/namespaces/sample/standalone/nowhere/destinations"),
        404, QStringLiteral("Namespace does not exist"));
    row("invalid namespace", "GET", QStringLiteral("/admin/persistent/sample/stand%20alone/ns1"), 412,
        QStringLiteral("Namespace name is not valid"));
    // v1 has …/destinations; "topics" matches DELETE …/{namespace}/{bundle} only.
    row("v2 name of the topic list", "GET", QStringLiteral("/admin/namespaces/sample/standalone/ns1/topics"), 405,
        QStringLiteral("Method Not Allowed"));
    row("no properties in v1", "GET", kV1TopicBase + QStringLiteral("t/properties"), 404, QStringLiteral("Not Found"));
    row("no examine in v1", "GET", kV1TopicBase + QStringLiteral("t/examinemessage"), 404, QStringLiteral("Not Found"));
    // Tenants are "properties" in v1; there is no /admin/tenants.
    row("no v1 tenants resource", "GET", QStringLiteral("/admin/tenants"), 404, QStringLiteral("Not Found"));
}

void TestAdminApi::v1TopicRoutes()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, expect);
    // Three messages on a v1 topic with a connected subscription "sub", a v1 partitioned topic, and a non-persistent
    // v1 topic that exists while its producer is connected; all over the v1 WebSocket and admin paths.
    WsClient consumer(m_proxy->url(wsV1(QStringLiteral("consumer"),
                                        QStringLiteral("persistent/sample/standalone/ns1/t/sub?receiverQueueSize=1"))));
    QVERIFY(consumer.waitConnected());
    WsClient producer(
        m_proxy->url(wsV1(QStringLiteral("producer"), QStringLiteral("persistent/sample/standalone/ns1/t"))));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 3; ++i)
        producer.send(sendFrame("m" + QByteArray::number(i)));
    QTRY_COMPARE(producer.count(), 3);
    QCOMPARE(http("PUT", kV1TopicBase + QStringLiteral("parted/partitions"), "2").status, 204);
    WsClient volatileProducer(
        m_proxy->url(wsV1(QStringLiteral("producer"),
                          QStringLiteral("non-persistent/sample/standalone/ns1/np?producerName=np-producer"))));
    QVERIFY(volatileProducer.waitConnected());

    const HttpAnswer answer = http(method, path);
    QCOMPARE(answer.status, status);
    if (status >= 400)
        QCOMPARE(answer.reason(), expect);
    else
        QVERIFY2(answer.body.contains(expect.toUtf8()), answer.body.constData());
}

void TestAdminApi::v1StatsLeaveOutBacklogSize()
{
    // v1 getStats takes no query options and asks for stats without the subscriptions' backlog size, which v2 has
    // by default.
    WsClient consumer(
        m_proxy->url(wsV1(QStringLiteral("consumer"), QStringLiteral("persistent/sample/standalone/ns1/b/sub"))));
    QVERIFY(consumer.waitConnected());
    consumer.socket().close();
    QTRY_COMPARE(http("GET", kV1TopicBase + QStringLiteral("b/subscriptions")).body, QByteArray(R"(["sub"])"));
    WsClient producer(
        m_proxy->url(wsV1(QStringLiteral("producer"), QStringLiteral("persistent/sample/standalone/ns1/b"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("backlog"));
    QTRY_COMPARE(producer.count(), 1);

    const auto sub = [](const HttpAnswer &a) {
        return a.object().value(QLatin1String("subscriptions")).toObject().value(QLatin1String("sub")).toObject();
    };
    const HttpAnswer v1 =
        http("GET", kV1TopicBase + QStringLiteral("b/stats?subscriptionBacklogSize=true&excludePublishers=true"));
    QCOMPARE(v1.status, 200);
    QCOMPARE(sub(v1).value(QLatin1String("msgBacklog")).toInt(), 1);
    QCOMPARE(sub(v1).value(QLatin1String("backlogSize")).toInt(), -1);
    QCOMPARE(v1.object().value(QLatin1String("publishers")).toArray().size(), 1);

    QCOMPARE(http("PUT", kV1TopicBase + QStringLiteral("pb/partitions"), "1").status, 204);
    QCOMPARE(http("PUT", kV1TopicBase + QStringLiteral("pb/subscription/sub")).status, 204);
    const HttpAnswer v1Partitioned = http("GET", kV1TopicBase + QStringLiteral("pb/partitioned-stats"));
    QCOMPARE(v1Partitioned.status, 200);
    QCOMPARE(sub(v1Partitioned).value(QLatin1String("backlogSize")).toInt(), -1);

    // The same steps on a v2 topic: the backlog size is there.
    WsClient v2Consumer(m_proxy->url(wsConsumer(QStringLiteral("b"), QStringLiteral("sub"))));
    QVERIFY(v2Consumer.waitConnected());
    v2Consumer.socket().close();
    QTRY_COMPARE(http("GET", kTopicBase + QStringLiteral("b/subscriptions")).body, QByteArray(R"(["sub"])"));
    QCOMPARE(publish(QStringLiteral("b"), {sendFrame("backlog")}).size(), 1);
    QVERIFY(sub(http("GET", kTopicBase + QStringLiteral("b/stats"))).value(QLatin1String("backlogSize")).toInt() > 0);
}

QTEST_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
