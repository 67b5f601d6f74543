// Token authentication, authorization and TLS of the bundled service, over the wire (spec 5.1, 6.5, 6.6 and
// Pulsar's ProxyRoleAuthTest / ProxyAuthenticationTest / ProxyPublishConsumeTlsTest).
#include "jwttestutil.h"
#include "proxyfixture.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslKey>
#include <QtTest>

using namespace TestSupport;

namespace {

const QByteArray kSecret = QByteArray(32, 'k') + "-pulsar-desk-test-secret-material";

Proxy::AuthConfig authConfig()
{
    QJsonObject grants;
    QJsonObject namespaces;
    QJsonObject publicDefault;
    publicDefault.insert(QStringLiteral("writer"), QJsonArray{QStringLiteral("produce"), QStringLiteral("consume")});
    namespaces.insert(QStringLiteral("public/default"), publicDefault);
    // Grants on v1 namespaces (with a cluster): the local one, and one on a cluster this service does not serve.
    QJsonObject sampleNs;
    sampleNs.insert(QStringLiteral("v1reader"), QJsonArray{QStringLiteral("consume")});
    namespaces.insert(QStringLiteral("sample/standalone/ns1"), sampleNs);
    QJsonObject westNs;
    westNs.insert(QStringLiteral("westie"), QJsonArray{QStringLiteral("consume")});
    namespaces.insert(QStringLiteral("my-property/us-west/my-ns"), westNs);
    grants.insert(QStringLiteral("namespaces"), namespaces);
    QJsonObject topics;
    QJsonObject onlyT;
    onlyT.insert(QStringLiteral("reader-role"), QJsonArray{QStringLiteral("consume")});
    topics.insert(QStringLiteral("persistent://public/default/t"), onlyT);
    QJsonObject onlyV1T;
    onlyV1T.insert(QStringLiteral("v1topic"), QJsonArray{QStringLiteral("consume")});
    topics.insert(QStringLiteral("persistent://sample/standalone/ns1/t"), onlyV1T);
    grants.insert(QStringLiteral("topics"), topics);
    QJsonObject config;
    config.insert(QStringLiteral("authenticationEnabled"), true);
    config.insert(QStringLiteral("authorizationEnabled"), true);
    config.insert(QStringLiteral("tokenSecretKey"),
                  QString(QStringLiteral("data:;base64,") + QString::fromLatin1(kSecret.toBase64())));
    config.insert(QStringLiteral("superUserRoles"), QJsonArray{QStringLiteral("admin")});
    config.insert(QStringLiteral("grants"), grants);
    const auto parsed = Proxy::AuthConfig::fromJson(QJsonDocument(config).toJson(), QString());
    if (!parsed)
        qFatal("auth config: %s", qPrintable(parsed.error().message));
    return *parsed;
}

QByteArray tokenFor(const QString &role, qint64 expiresIn = 3600)
{
    return mintToken(JWT_ALG_HS256, kSecret, claims(role, expiresIn));
}

QByteArray bearer(const QByteArray &token)
{
    return "Authorization: Bearer " + token + "\r\n";
}

const QByteArray kProducerPath = "/ws/v2/producer/persistent/public/default/t";
const QByteArray kConsumerPath = "/ws/v2/consumer/persistent/public/default/t/sub";

} // namespace

class TestProxySecurity final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handshakeStatuses_data();
    void handshakeStatuses();
    void authenticationComesFirst();
    void authenticatedRoundTrip();
    void adminApiRequiresRoles();
    void adminApiV1Grants_data();
    void adminApiV1Grants();
    void tlsRoundTrip();
};

void TestProxySecurity::handshakeStatuses_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");
    QTest::addRow("producer without token")
        << kProducerPath << QByteArray() << 401 << QByteArray("Authentication required");
    QTest::addRow("consumer without token")
        << kConsumerPath << QByteArray() << 401 << QByteArray("Authentication required");
    QTest::addRow("expired token") << kProducerPath << bearer(tokenFor(QStringLiteral("writer"), -60)) << 401
                                   << QByteArray("Authentication required");
    QTest::addRow("wrong key") << kProducerPath
                               << bearer(
                                      mintToken(JWT_ALG_HS256, QByteArray(64, 'z'), claims(QStringLiteral("writer"))))
                               << 401 << QByteArray("Authentication required");
    QTest::addRow("lower-case bearer") << kProducerPath
                                       << QByteArray("Authorization: bearer " + tokenFor(QStringLiteral("writer")) +
                                                     "\r\n")
                                       << 401 << QByteArray("Authentication required");
    QTest::addRow("no grant: producer") << kProducerPath << bearer(tokenFor(QStringLiteral("stranger"))) << 403
                                        << QByteArray("Not authorized");
    QTest::addRow("no grant: consumer") << kConsumerPath << bearer(tokenFor(QStringLiteral("stranger"))) << 403
                                        << QByteArray("Not authorized");
    QTest::addRow("consume-only role producing")
        << kProducerPath << bearer(tokenFor(QStringLiteral("reader-role"))) << 403 << QByteArray("Not authorized");
    QTest::addRow("topic grant does not cover another topic")
        << QByteArray("/ws/v2/consumer/persistent/public/default/other/sub")
        << bearer(tokenFor(QStringLiteral("reader-role"))) << 403 << QByteArray("Not authorized");
    QTest::addRow("namespace grant") << kProducerPath << bearer(tokenFor(QStringLiteral("writer"))) << 101
                                     << QByteArray();
    QTest::addRow("topic grant") << kConsumerPath << bearer(tokenFor(QStringLiteral("reader-role"))) << 101
                                 << QByteArray();
    QTest::addRow("super-user") << QByteArray("/ws/v2/producer/persistent/sample/ns1/x")
                                << bearer(tokenFor(QStringLiteral("admin"))) << 101 << QByteArray();
    QTest::addRow("token query parameter") << QByteArray(kProducerPath + "?token=" + tokenFor(QStringLiteral("writer")))
                                           << QByteArray() << 101 << QByteArray();
    QTest::addRow("token query parameter with Bearer")
        << QByteArray(kProducerPath + "?token=Bearer%20" + tokenFor(QStringLiteral("writer"))) << QByteArray() << 101
        << QByteArray();
}

void TestProxySecurity::handshakeStatuses()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ProxyFixture proxy({}, service);
    const HandshakeAnswer answer = rawHandshake(proxy.port(), target, headers);
    QCOMPARE(answer.status, status);
    QVERIFY(answer.body.contains(message));
}

void TestProxySecurity::authenticationComesFirst()
{
    // Standalone Pulsar's broker filter authenticates before any WebSocket handler runs, so bad parameters or a bad
    // path still get 401 without credentials (spec 5.1, era R); authorization waits for the handler (403 after 400).
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ProxyFixture proxy({}, service);
    QCOMPARE(rawHandshake(proxy.port(), kConsumerPath + "?subscriptionType=Nope").status, 401);
    QCOMPARE(rawHandshake(proxy.port(), kProducerPath + "?messageRoutingMode=Nope").status, 401);
    QCOMPARE(rawHandshake(proxy.port(), "/ws/v2/producer/persistent/x").status, 401);
    QCOMPARE(rawHandshake(proxy.port(), kConsumerPath + "?subscriptionType=Nope",
                          bearer(tokenFor(QStringLiteral("stranger"))))
                 .status,
             400);
}

void TestProxySecurity::authenticatedRoundTrip()
{
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ProxyFixture proxy({}, service);
    const QString token = QString::fromLatin1(tokenFor(QStringLiteral("writer")));
    WsClient consumer(proxy.url(QString::fromLatin1(kConsumerPath) + QStringLiteral("?token=") + token));
    QVERIFY(consumer.waitConnected());
    WsClient producer(proxy.url(QString::fromLatin1(kProducerPath) + QStringLiteral("?token=") + token));
    QVERIFY(producer.waitConnected());
    for (int i = 0; i < 3; ++i)
        producer.send(sendFrame(QByteArray::number(i)));
    QTRY_COMPARE(consumer.count(), 3);
}

void TestProxySecurity::adminApiRequiresRoles()
{
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ProxyFixture proxy({}, service);
    QNetworkAccessManager manager;
    const auto get = [&](const QString &path, const QByteArray &token) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(proxy.port()).arg(path)));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = manager.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(5000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return qMakePair(status, body);
    };
    QCOMPARE(get(QStringLiteral("/admin/v2/tenants"), QByteArray()).first, 401);
    const auto forbidden = get(QStringLiteral("/admin/v2/tenants"), tokenFor(QStringLiteral("writer")));
    QCOMPARE(forbidden.first, 403);
    QVERIFY(forbidden.second.contains("\"reason\""));
    const auto allowed = get(QStringLiteral("/admin/v2/tenants"), tokenFor(QStringLiteral("admin")));
    QCOMPARE(allowed.first, 200);
    QVERIFY(allowed.second.contains("public"));
    QCOMPARE(get(QStringLiteral("/admin/v2/brokers/health"), tokenFor(QStringLiteral("writer"))).first, 200);
}

void TestProxySecurity::adminApiV1Grants_data()
{
    // The v1 admin paths (/admin/{area}/{property}/{cluster}/{namespace}/...) are authorized like their v2 forms,
    // through the same tenant admin roles and the same namespace and topic grants, with the cluster part of the
    // name. A 404 means the request got past authorization to the handler.
    QTest::addColumn<QString>("role");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    const auto row = [](const char *name, const char *role, const QByteArray &method, const char *path, int status) {
        QTest::addRow("%s", name) << QString::fromLatin1(role) << method << QString::fromLatin1(path) << status;
    };
    row("v1 namespace grant lists its topics", "v1reader", "GET", "/admin/persistent/sample/standalone/ns1", 200);
    row("v1 namespace grant lists through destinations", "v1reader", "GET",
        "/admin/namespaces/sample/standalone/ns1/destinations", 200);
    row("v1 namespace grant reads policies", "v1reader", "GET", "/admin/namespaces/sample/standalone/ns1", 200);
    row("v1 namespace grant reads a topic's stats", "v1reader", "GET",
        "/admin/persistent/sample/standalone/ns1/nope/stats", 404);
    row("v1 namespace grant does not delete", "v1reader", "DELETE", "/admin/persistent/sample/standalone/ns1/nope",
        403);
    row("v1 namespace grant is not the tenant's list", "v1reader", "GET", "/admin/namespaces/sample", 403);
    row("v1 namespace grant is not the cluster's list", "v1reader", "GET", "/admin/namespaces/sample/standalone", 403);
    row("v1 namespace grant does not cover v2", "v1reader", "GET", "/admin/v2/persistent/public/default", 403);
    row("v2 namespace grant does not cover v1", "writer", "GET", "/admin/persistent/sample/standalone/ns1", 403);
    row("v2 namespace grant still covers v2", "writer", "GET", "/admin/v2/persistent/public/default", 200);
    row("v1 topic grant reads its topic", "v1topic", "GET", "/admin/persistent/sample/standalone/ns1/t/stats", 404);
    row("v1 topic grant does not cover another topic", "v1topic", "GET",
        "/admin/persistent/sample/standalone/ns1/other/stats", 403);
    row("grant on another cluster's namespace", "westie", "GET", "/admin/persistent/my-property/us-west/my-ns", 403);
    row("tenant admin creates a v1 namespace", "ops", "PUT", "/admin/namespaces/acme/standalone/team", 204);
    row("tenant admin of another tenant", "ops", "PUT", "/admin/namespaces/sample/standalone/team", 403);
    row("super-user on v1", "admin", "GET", "/admin/persistent/sample/standalone/ns1", 200);
    // v1 has no "tenants" resource (it calls them properties); the super-user gets past authorization to the 404.
    row("super-user on a path outside v1", "admin", "GET", "/admin/tenants", 404);
    row("no token on v1", "", "GET", "/admin/persistent/sample/standalone/ns1", 401);
}

void TestProxySecurity::adminApiV1Grants()
{
    QFETCH(QString, role);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ProxyFixture proxy({}, service);
    QNetworkAccessManager manager;
    const auto send = [&](const QByteArray &verb, const QString &target, const QByteArray &token,
                          const QByteArray &body = QByteArray()) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(proxy.port()).arg(target)));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, verb, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(5000);
        return qMakePair(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll());
    };
    // A tenant whose admin role is "ops", made by the super-user.
    QCOMPARE(send("PUT", QStringLiteral("/admin/v2/tenants/acme"), tokenFor(QStringLiteral("admin")),
                  R"({"adminRoles":["ops"],"allowedClusters":["standalone"]})")
                 .first,
             204);
    const auto answer = send(method, path, role.isEmpty() ? QByteArray() : tokenFor(role));
    QCOMPARE(answer.first, status);
    if (status == 403)
        QVERIFY(answer.second.contains("Client is not authorized to perform operation"));
}

void TestProxySecurity::tlsRoundTrip()
{
    QTemporaryDir dir;
    const KeyPair pair = generateRsaKeyPair();
    const QByteArray certPem = makeSelfSignedCertificate(pair);
    QVERIFY(!certPem.isEmpty());
    const auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    write(QStringLiteral("cert.pem"), certPem);
    write(QStringLiteral("key.pem"), pair.privatePem);

    Proxy::ServiceConfig service;
    service.tlsCertFile = dir.filePath(QStringLiteral("cert.pem"));
    service.tlsKeyFile = dir.filePath(QStringLiteral("key.pem"));
    ProxyFixture proxy({}, service);

    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromData(certPem));
    trust.setPeerVerifyMode(QSslSocket::VerifyPeer);
    const auto wss = [&](const QString &path) {
        return QUrl(QStringLiteral("wss://localhost:%1%2").arg(proxy.port()).arg(path));
    };
    QWebSocket consumer;
    consumer.setSslConfiguration(trust);
    QStringList received;
    connect(&consumer, &QWebSocket::textMessageReceived, this, [&](const QString &t) { received.append(t); });
    QSignalSpy consumerUp(&consumer, &QWebSocket::connected);
    consumer.open(wss(QString::fromLatin1(kConsumerPath)));
    QVERIFY(consumerUp.wait(5000));

    QWebSocket producer;
    producer.setSslConfiguration(trust);
    QStringList acks;
    connect(&producer, &QWebSocket::textMessageReceived, this, [&](const QString &t) { acks.append(t); });
    QSignalSpy producerUp(&producer, &QWebSocket::connected);
    producer.open(wss(QString::fromLatin1(kProducerPath)));
    QVERIFY(producerUp.wait(5000));
    producer.sendTextMessage(QString::fromUtf8(QJsonDocument(sendFrame("secure")).toJson(QJsonDocument::Compact)));
    QTRY_COMPARE(received.size(), 1);
    QTRY_COMPARE(acks.size(), 1);
    // The id the producer got is the id the consumer got (spec 8 item 29).
    const auto idOf = [](const QString &json) {
        return QJsonDocument::fromJson(json.toUtf8()).object().value(QLatin1String("messageId")).toString();
    };
    QCOMPARE(idOf(received.first()), idOf(acks.first()));

    // Plain ws:// on the TLS port gets nowhere.
    QWebSocket plain;
    QSignalSpy plainUp(&plain, &QWebSocket::connected);
    plain.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(proxy.port()).arg(QString::fromLatin1(kProducerPath))));
    QVERIFY(!plainUp.wait(1000));
}

QTEST_GUILESS_MAIN(TestProxySecurity)
#include "tst_proxysecurity.moc"
