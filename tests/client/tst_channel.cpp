// WebSocketChannel and ConnectionProfile against the bundled proxy over loopback and against scripted servers:
// every handshake refusal reaching the caller with Pulsar's status and message, token authentication in the
// header and in the query, TLS with a CA file, with the insecure switch and with a client certificate,
// keep-alive pings and dead-peer detection, reconnect with backoff after server-initiated closes, the incoming
// size caps, and token redaction.
#include "clienttestsupport.h"
#include "jwttestutil.h"

#include "client/consumersession.h"
#include "client/producersession.h"
#include "client/readersession.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Pulsar;
using namespace ClientTest;

namespace {

const QByteArray kSecret = QByteArray(32, 's') + "-pulsar-desk-client-test";

Proxy::AuthConfig authConfig()
{
    Proxy::AuthConfig config;
    config.authenticationEnabled = true;
    config.authorizationEnabled = true;
    config.keyKind = Proxy::AuthConfig::KeyKind::Secret;
    config.validationKey = kSecret;
    config.namespaceGrants.insert(
        QStringLiteral("public/default"),
        {{QStringLiteral("writer"), unsigned(Proxy::AuthAction::Produce) | unsigned(Proxy::AuthAction::Consume)}});
    return config;
}

QString tokenFor(const QString &role)
{
    return QString::fromLatin1(TestSupport::mintToken(JWT_ALG_HS256, kSecret, TestSupport::claims(role, 3600)));
}

// Waits until the session's channel reaches `state`.
template<typename Session>
bool waitState(Session *session, ChannelState state, int ms = kWaitMs)
{
    return QTest::qWaitFor([&] { return session->status().state == state; }, ms);
}

struct TlsFiles
{
    QTemporaryDir dir;
    QString cert;
    QString key;
    QByteArray certPem;

    TlsFiles()
    {
        const TestSupport::KeyPair pair = TestSupport::generateRsaKeyPair();
        certPem = TestSupport::makeSelfSignedCertificate(pair);
        cert = dir.filePath(QStringLiteral("cert.pem"));
        key = dir.filePath(QStringLiteral("key.pem"));
        QFile c(cert);
        if (c.open(QIODevice::WriteOnly))
            c.write(certPem);
        QFile k(key);
        if (k.open(QIODevice::WriteOnly))
            k.write(pair.privatePem);
    }
};

} // namespace

class TestChannel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileAdminUrl_data();
    void profileAdminUrl();
    void profileValidation();
    void redaction();

    void refused400BadParam();
    void refused401NoToken();
    void refused403NotAuthorized();
    void refused404AutoCreationOff();
    void refused409Exclusive();
    void refused500BadPath();
    void refusedTcp();

    void tokenInHeader();
    void tokenInQuery();
    void tlsWithCaFile();
    void tlsUntrustedFails();
    void tlsInsecureSwitch();
    void tlsClientCertificate();

    void deadPeerDetected();
    void serverCloseReconnects();
    void backoffGrowsToCapThenFails();
    void incomingMessageLimit();
};

void TestChannel::profileAdminUrl_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("admin");
    QTest::addColumn<QString>("expected");
    QTest::addRow("ws") << "ws://host:8080"
                        << ""
                        << "http://host:8080";
    QTest::addRow("wss with prefix") << "wss://host:8443/pulsar/"
                                     << ""
                                     << "https://host:8443/pulsar/";
    QTest::addRow("explicit") << "ws://host:8080"
                              << "http://other:9090"
                              << "http://other:9090";
}

void TestChannel::profileAdminUrl()
{
    QFETCH(QString, service);
    QFETCH(QString, admin);
    QFETCH(QString, expected);
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(service);
    profile.adminUrl = QUrl(admin);
    QCOMPARE(profile.effectiveAdminUrl(), QUrl(expected));
}

void TestChannel::profileValidation()
{
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("ftp://host"));
    QVERIFY(profile.validate().has_value());
    profile.serviceUrl = QUrl(QStringLiteral("ws://host:1"));
    QVERIFY(!profile.validate().has_value());
    profile.authentication = AuthenticationMethod::TokenHeader;
    QCOMPARE(profile.validate()->code, ClientErrorCode::InvalidConfiguration);
    profile.authentication = AuthenticationMethod::TlsCertificate;
    QVERIFY(profile.validate().has_value()); // needs wss:// and files
    profile.authentication = AuthenticationMethod::None;
    profile.caFile = QStringLiteral("/nonexistent/ca.pem");
    QCOMPARE(profile.validate()->code, ClientErrorCode::InvalidConfiguration);

    // An invalid profile fails the session at once, without a connection.
    profile.caFile.clear();
    profile.serviceUrl = QUrl(QStringLiteral("http:///nohost"));
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("invalid")));
    producer.open();
    QCOMPARE(producer.status().state, ChannelState::Failed);
    QCOMPARE(producer.status().error.code, ClientErrorCode::InvalidConfiguration);
    QVERIFY(!producer.send(OutgoingMessage{}).accepted());
}

void TestChannel::redaction()
{
    QCOMPARE(redactSecrets(QStringLiteral("ws://h/ws/v2/producer/persistent/t/n/x?a=1&token=abc.def.ghi&b=2")),
             QStringLiteral("ws://h/ws/v2/producer/persistent/t/n/x?a=1&token=<redacted>&b=2"));
    QCOMPARE(redactSecrets(QStringLiteral("Authorization: Bearer abc.def")),
             QStringLiteral("Authorization: Bearer <redacted>"));
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:1"));
    profile.authentication = AuthenticationMethod::TokenQuery;
    profile.token = QStringLiteral("secret-token-value");
    const QUrl url = profile.authenticatedUrl(QUrl(QStringLiteral("ws://127.0.0.1:1/ws/v2/x?y=1")));
    QVERIFY(url.toString().contains(QLatin1String("token=secret-token-value")));
    QVERIFY(!displayUrl(url).contains(QLatin1String("secret-token-value")));
}

void TestChannel::refused400BadParam()
{
    ClientTarget target;
    ConsumerSettings settings;
    settings.extraQueryItems = {{QStringLiteral("subscriptionType"), QStringLiteral("Foo")}};
    ConsumerSession consumer(target.profile(),
                             Endpoint::consumer(ClientTarget::topic(QStringLiteral("bad")), QStringLiteral("s")),
                             settings);
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Failed));
    const ClientError &error = consumer.status().error;
    QCOMPARE(error.code, ClientErrorCode::HandshakeRefused);
    QCOMPARE(error.httpStatus, 400);
    QCOMPARE(error.serverMessage, QStringLiteral("Invalid query params: Invalid subscriptionType Foo"));
    QVERIFY(error.text().contains(QLatin1String("400")));
}

void TestChannel::refused401NoToken()
{
    SKIP_IF_EXTERNAL();
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ClientTarget target({}, service);
    ProducerSession producer(target.profile(), ClientTarget::topic(QStringLiteral("auth")));
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Failed));
    QCOMPARE(producer.status().error.code, ClientErrorCode::HandshakeRefused);
    QCOMPARE(producer.status().error.httpStatus, 401);
    QCOMPARE(producer.status().error.serverMessage, QStringLiteral("Authentication required"));
}

void TestChannel::refused403NotAuthorized()
{
    SKIP_IF_EXTERNAL();
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ClientTarget target({}, service);
    ConnectionProfile profile = target.profile();
    profile.authentication = AuthenticationMethod::TokenQuery;
    profile.token = tokenFor(QStringLiteral("nobody"));
    ConsumerSession consumer(profile,
                             Endpoint::consumer(ClientTarget::topic(QStringLiteral("auth")), QStringLiteral("s")));
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Failed));
    const ClientError &error = consumer.status().error;
    QCOMPARE(error.httpStatus, 403);
    QCOMPARE(error.serverMessage, QStringLiteral("Not authorized"));
    // Nothing the caller sees holds the token.
    QVERIFY(!error.text().contains(profile.token));
    QVERIFY(!error.detail.contains(profile.token));
    QVERIFY(!consumer.channel()->displayUrl().contains(profile.token));
}

void TestChannel::refused404AutoCreationOff()
{
    SKIP_IF_EXTERNAL();
    Proxy::BrokerConfig broker;
    broker.autoCreateTopics = false;
    ClientTarget target(broker);
    ProducerSession producer(target.profile(), ClientTarget::topic(QStringLiteral("missing")));
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Failed));
    QCOMPARE(producer.status().error.httpStatus, 404);
    QVERIFY2(producer.status().error.serverMessage.startsWith(QLatin1String("Failed to create producer/consumer: ")),
             qPrintable(producer.status().error.serverMessage));
}

void TestChannel::refused409Exclusive()
{
    ClientTarget target;
    const Endpoint endpoint = Endpoint::consumer(ClientTarget::topic(QStringLiteral("excl")), QStringLiteral("s"));
    ConsumerSession first(target.profile(), endpoint);
    first.open();
    QVERIFY(waitState(&first, ChannelState::Connected));
    ConsumerSession second(target.profile(), endpoint);
    second.open();
    QVERIFY(waitState(&second, ChannelState::Failed));
    QCOMPARE(second.status().error.httpStatus, 409);
    QVERIFY2(second.status().error.serverMessage.contains(QLatin1String("Exclusive consumer is already connected")),
             qPrintable(second.status().error.serverMessage));
    // The refusal (and the diagnostic request behind it) left the first consumer alone.
    QCOMPARE(first.status().state, ChannelState::Connected);
}

void TestChannel::refused500BadPath()
{
    ClientTarget target;
    // A v3 pattern whose namespace part is not a namespace name: Pulsar throws while parsing the path.
    ConsumerSession consumer(target.profile(),
                             Endpoint::multiTopicPattern(QStringLiteral("s"), QStringLiteral("public/de*fault/x.*")));
    consumer.open();
    QVERIFY(waitState(&consumer, ChannelState::Failed));
    QCOMPARE(consumer.status().error.code, ClientErrorCode::HandshakeRefused);
    QCOMPARE(consumer.status().error.httpStatus, 500);
    QVERIFY2(!consumer.status().error.serverMessage.isEmpty(), "Jetty's page names the exception");
}

void TestChannel::refusedTcp()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("nobody")));
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Failed));
    QCOMPARE(producer.status().error.code, ClientErrorCode::ConnectionRefused);
    QCOMPARE(producer.status().error.httpStatus, 0);
}

namespace {

// Opens a producer with the profile and checks that one message gets an ok ack.
void roundTrip(const ConnectionProfile &profile)
{
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("rt")));
    QSignalSpy results(&producer, &ProducerSession::sendFinished);
    producer.open();
    QVERIFY2(waitState(&producer, ChannelState::Connected), qPrintable(producer.status().error.text()));
    OutgoingMessage message;
    message.payload = "hello";
    QVERIFY(producer.send(message).accepted());
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, kWaitMs);
    const SendResult result = results.first().first().value<SendResult>();
    QVERIFY2(result.ok, qPrintable(result.errorMsg));
    QVERIFY(result.messageId.ledgerId >= 0);
}

} // namespace

void TestChannel::tokenInHeader()
{
    SKIP_IF_EXTERNAL();
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ClientTarget target({}, service);
    ConnectionProfile profile = target.profile();
    profile.authentication = AuthenticationMethod::TokenHeader;
    profile.token = tokenFor(QStringLiteral("writer"));
    roundTrip(profile);
}

void TestChannel::tokenInQuery()
{
    SKIP_IF_EXTERNAL();
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    ClientTarget target({}, service);
    ConnectionProfile profile = target.profile();
    profile.authentication = AuthenticationMethod::TokenQuery;
    profile.token = tokenFor(QStringLiteral("writer"));
    roundTrip(profile);
}

void TestChannel::tlsWithCaFile()
{
    SKIP_IF_EXTERNAL();
    TlsFiles files;
    Proxy::ServiceConfig service;
    service.tlsCertFile = files.cert;
    service.tlsKeyFile = files.key;
    ClientTarget target({}, service);
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("wss://localhost:%1").arg(target.proxy()->port()));
    profile.caFile = files.cert;
    roundTrip(profile);
}

void TestChannel::tlsUntrustedFails()
{
    SKIP_IF_EXTERNAL();
    TlsFiles files;
    Proxy::ServiceConfig service;
    service.tlsCertFile = files.cert;
    service.tlsKeyFile = files.key;
    ClientTarget target({}, service);
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("wss://localhost:%1").arg(target.proxy()->port()));
    ProducerSession producer(profile, ClientTarget::topic(QStringLiteral("tls")));
    producer.open();
    QVERIFY(waitState(&producer, ChannelState::Failed));
    QCOMPARE(producer.status().error.code, ClientErrorCode::TlsError);
}

void TestChannel::tlsInsecureSwitch()
{
    SKIP_IF_EXTERNAL();
    TlsFiles files;
    Proxy::ServiceConfig service;
    service.tlsCertFile = files.cert;
    service.tlsKeyFile = files.key;
    ClientTarget target({}, service);
    ConnectionProfile profile;
    // Untrusted and for another name: only the explicit switch gets through.
    profile.serviceUrl = QUrl(QStringLiteral("wss://127.0.0.1:%1").arg(target.proxy()->port()));
    profile.allowInsecureTls = true;
    roundTrip(profile);
}

void TestChannel::tlsClientCertificate()
{
    SKIP_IF_EXTERNAL();
    TlsFiles server;
    TlsFiles client;
    Proxy::ServiceConfig service;
    service.tlsCertFile = server.cert;
    service.tlsKeyFile = server.key;
    service.tlsCaFile = client.cert; // the proxy then demands a certificate signed by it
    ClientTarget target({}, service);
    ConnectionProfile profile;
    profile.serviceUrl = QUrl(QStringLiteral("wss://localhost:%1").arg(target.proxy()->port()));
    profile.caFile = server.cert;
    profile.authentication = AuthenticationMethod::TlsCertificate;
    profile.clientCertificateFile = client.cert;
    profile.clientKeyFile = client.key;
    roundTrip(profile);

    // Without the certificate the connection is refused.
    profile.authentication = AuthenticationMethod::None;
    ProducerSession anonymous(profile, ClientTarget::topic(QStringLiteral("tls")));
    anonymous.open();
    QVERIFY(waitState(&anonymous, ChannelState::Failed));
}

void TestChannel::deadPeerDetected()
{
    SilentServer silent;
    ConnectionProfile profile;
    profile.serviceUrl = silent.url();
    ChannelPolicy policy = fastPolicy();
    policy.pingIntervalMs = 100;
    policy.deadPeerTimeoutMs = 300;
    WebSocketChannel channel(profile, policy);
    QList<ChannelStatus> statuses;
    connect(&channel, &WebSocketChannel::statusChanged, this,
            [&](const ChannelStatus &status) { statuses.append(status); });
    QSignalSpy dropped(&channel, &WebSocketChannel::disconnected);
    channel.open(QUrl(silent.url().toString() + QStringLiteral("/ws/v2/producer/persistent/public/default/x")));
    QTRY_VERIFY_WITH_TIMEOUT(!dropped.isEmpty(), kWaitMs);
    QVERIFY(silent.pings() >= 1);
    QCOMPARE(dropped.first().first().value<ClientError>().code, ClientErrorCode::ConnectionLost);
    QTRY_VERIFY_WITH_TIMEOUT(silent.connections() >= 2, kWaitMs); // and it reconnected
    QCOMPARE(statuses.at(0).state, ChannelState::Connecting);
    QCOMPARE(statuses.at(1).state, ChannelState::Connected);
    QCOMPARE(statuses.at(2).state, ChannelState::Reconnecting);
    QCOMPARE(statuses.at(2).attempt, 1);
    channel.close();
    QCOMPARE(channel.state(), ChannelState::Closed);
}

void TestChannel::serverCloseReconnects()
{
    ScriptedServer server;
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    WebSocketChannel channel(profile, fastPolicy());
    QSignalSpy connected(&channel, &WebSocketChannel::connected);
    QSignalSpy dropped(&channel, &WebSocketChannel::disconnected);
    channel.open(QUrl(server.url().toString() + QStringLiteral("/ws/v2/reader/persistent/public/default/x")));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
    // A normal close code from the server is still abnormal for us (Pulsar's status-3 closes look like 1000).
    server.lastSocket()->close(QWebSocketProtocol::CloseCodeNormal);
    QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, kWaitMs);
    QCOMPARE(channel.connectionCount(), 2);
    QCOMPARE(server.connectionCount(), 2);
    QVERIFY(dropped.first().first().value<ClientError>().detail.contains(QLatin1String("1000")));
}

void TestChannel::backoffGrowsToCapThenFails()
{
    auto server = std::make_unique<ScriptedServer>();
    ConnectionProfile profile;
    profile.serviceUrl = server->url();
    ChannelPolicy policy = fastPolicy();
    policy.jitter = 0.0;
    policy.initialReconnectDelayMs = 20;
    policy.maxReconnectDelayMs = 80;
    policy.maxReconnectAttempts = 4;
    WebSocketChannel channel(profile, policy);
    QList<ChannelStatus> reconnecting;
    connect(&channel, &WebSocketChannel::statusChanged, this, [&](const ChannelStatus &status) {
        if (status.state == ChannelState::Reconnecting)
            reconnecting.append(status);
    });
    QSignalSpy connected(&channel, &WebSocketChannel::connected);
    channel.open(QUrl(server->url().toString() + QStringLiteral("/ws/v2/reader/persistent/public/default/x")));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
    server.reset(); // the server goes away: every attempt is refused
    QTRY_COMPARE_WITH_TIMEOUT(channel.state(), ChannelState::Failed, kWaitMs);
    QCOMPARE(reconnecting.size(), 4);
    const QList<int> expected{20, 40, 80, 80};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(reconnecting.at(i).attempt, i + 1);
        QCOMPARE(reconnecting.at(i).reconnectDelayMs, expected.at(i));
    }
    QCOMPARE(reconnecting.at(1).error.code, ClientErrorCode::ConnectionRefused);
    QCOMPARE(channel.status().error.code, ClientErrorCode::ConnectionRefused);
}

void TestChannel::incomingMessageLimit()
{
    ScriptedServer server;
    ConnectionProfile profile;
    profile.serviceUrl = server.url();
    ChannelPolicy policy = fastPolicy();
    policy.maxIncomingMessageBytes = 1024;
    policy.maxIncomingFrameBytes = 1024;
    WebSocketChannel channel(profile, policy);
    QSignalSpy connected(&channel, &WebSocketChannel::connected);
    QSignalSpy received(&channel, &WebSocketChannel::textReceived);
    QSignalSpy dropped(&channel, &WebSocketChannel::disconnected);
    channel.open(QUrl(server.url().toString() + QStringLiteral("/ws/v2/reader/persistent/public/default/x")));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
    server.lastSocket()->sendTextMessage(QString(100, QLatin1Char('a')));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    server.lastSocket()->sendTextMessage(QString(4096, QLatin1Char('b')));
    QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, kWaitMs);
    QCOMPARE(received.size(), 1); // the oversized message was never delivered
}

QTEST_GUILESS_MAIN(TestChannel)
#include "tst_channel.moc"
