#include "protocol/wirestatus.h"

#include <QtTest>

using namespace Pulsar;

class TestWireStatus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendErrorResultFormat_data();
    void sendErrorResultFormat();
    void parseSendResult_data();
    void parseSendResult();
    void descriptions_data();
    void descriptions();
    void handshakeStatus_data();
    void handshakeStatus();
    void handshakeBodyRoundTrip_data();
    void handshakeBodyRoundTrip();
    void extractFromOtherBodies_data();
    void extractFromOtherBodies();
    void closeReasons();
    void readableHandshakeMessages_data();
    void readableHandshakeMessages();
};

void TestWireStatus::sendErrorResultFormat_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    for (int n = 1; n <= 8; ++n)
        QTest::addRow("code %d", n) << n << QStringLiteral("send-error:%1").arg(n);
}

void TestWireStatus::sendErrorResultFormat()
{
    QFETCH(int, code);
    QFETCH(QString, expected);
    QCOMPARE(sendErrorResult(WebSocketError(code)), expected);
}

void TestWireStatus::parseSendResult_data()
{
    QTest::addColumn<QString>("result");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<int>("code");
    QTest::addRow("ok") << QStringLiteral("ok") << false << 0;
    QTest::addRow("send-error:3") << QStringLiteral("send-error:3") << true << 3;
    QTest::addRow("send-error:7") << QStringLiteral("send-error:7") << true << 7;
    QTest::addRow("send-error:8") << QStringLiteral("send-error:8") << true << 8;
    QTest::addRow("send-error:1") << QStringLiteral("send-error:1") << true << 1;
    QTest::addRow("out of range") << QStringLiteral("send-error:9") << true << 8;
    QTest::addRow("zero") << QStringLiteral("send-error:0") << true << 8;
    QTest::addRow("not a number") << QStringLiteral("send-error:x") << true << 8;
    QTest::addRow("legacy send-timeout") << QStringLiteral("send-timeout") << true << 8;
    QTest::addRow("OK upper case is not ok") << QStringLiteral("OK") << true << 8;
    QTest::addRow("empty") << QString() << true << 8;
}

void TestWireStatus::parseSendResult()
{
    QFETCH(QString, result);
    QFETCH(bool, isError);
    QFETCH(int, code);
    const auto parsed = Pulsar::parseSendResult(result);
    QCOMPARE(parsed.has_value(), isError);
    if (isError)
        QCOMPARE(int(*parsed), code);
}

void TestWireStatus::descriptions_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("description");
    QTest::addRow("1") << 1 << QStringLiteral("Failed to create producer");
    QTest::addRow("2") << 2 << QStringLiteral("Failed to subscribe");
    QTest::addRow("3") << 3 << QStringLiteral("Failed to de-serialize from JSON");
    QTest::addRow("4") << 4 << QStringLiteral("Failed to serialize to JSON");
    QTest::addRow("5") << 5 << QStringLiteral("Failed to authenticate client");
    QTest::addRow("6") << 6 << QStringLiteral("Client is not authorized");
    QTest::addRow("7") << 7 << QStringLiteral("Invalid payload encoding");
    QTest::addRow("8") << 8 << QStringLiteral("Unknown error");
}

void TestWireStatus::descriptions()
{
    QFETCH(int, code);
    QFETCH(QString, description);
    QCOMPARE(webSocketErrorDescription(WebSocketError(code)), description);
    QVERIFY(!webSocketErrorDisplayText(WebSocketError(code)).isEmpty());
}

void TestWireStatus::handshakeStatus_data()
{
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QString>("message");
    using F = HandshakeFailure;
    QTest::addRow("401") << int(F::AuthenticationFailed) << QString() << 401 << QByteArray("Unauthorized")
                         << QStringLiteral("Failed to authenticate");
    QTest::addRow("403") << int(F::NotAuthorized) << QString() << 403 << QByteArray("Forbidden")
                         << QStringLiteral("Not authorized");
    QTest::addRow("500 authz") << int(F::AuthorizationError) << QString() << 500 << QByteArray("Server Error")
                               << QStringLiteral("Server error");
    QTest::addRow("400") << int(F::InvalidQueryParams) << QStringLiteral("Empty subscription name") << 400
                         << QByteArray("Bad Request")
                         << QStringLiteral("Invalid query params: Empty subscription name");
    QTest::addRow("404") << int(F::TopicNotFound) << QStringLiteral("Topic not found") << 404 << QByteArray("Not Found")
                         << QStringLiteral("Failed to create producer/consumer: Topic not found");
    QTest::addRow("409") << int(F::Conflict) << QStringLiteral("Exclusive consumer is already connected") << 409
                         << QByteArray("Conflict")
                         << QStringLiteral(
                                "Failed to create producer/consumer: Exclusive consumer is already connected");
    QTest::addRow("429") << int(F::TooManyRequests) << QStringLiteral("slow down") << 429
                         << QByteArray("Too Many Requests")
                         << QStringLiteral("Failed to create producer/consumer: slow down");
    QTest::addRow("503") << int(F::ServiceUnavailable) << QStringLiteral("Topic was already terminated") << 503
                         << QByteArray("Service Unavailable")
                         << QStringLiteral("Failed to create producer/consumer: Topic was already terminated");
    QTest::addRow("504") << int(F::Timeout) << QStringLiteral("timeout") << 504 << QByteArray("Gateway Timeout")
                         << QStringLiteral("Failed to create producer/consumer: timeout");
    QTest::addRow("500 server") << int(F::ServerError) << QStringLiteral("Connection refused") << 500
                                << QByteArray("Server Error")
                                << QStringLiteral("Failed to create producer/consumer: Connection refused");
    QTest::addRow("500 reader") << int(F::ReaderFailed) << QStringLiteral("bad id") << 500 << QByteArray("Server Error")
                                << QStringLiteral("Failed to create reader: bad id");
    QTest::addRow("500 malformed") << int(F::MalformedRequest)
                                   << QStringLiteral("java.lang.IllegalArgumentException: Invalid topic name format")
                                   << 500 << QByteArray("Server Error")
                                   << QStringLiteral("java.lang.IllegalArgumentException: Invalid topic name format");
    QTest::addRow("404 path") << int(F::NotFound) << QStringLiteral("Not Found") << 404 << QByteArray("Not Found")
                              << QStringLiteral("Not Found");
    QTest::addRow("405") << int(F::MethodNotAllowed) << QStringLiteral("HTTP method GET is not supported") << 405
                         << QByteArray("Method Not Allowed") << QStringLiteral("HTTP method GET is not supported");
}

void TestWireStatus::handshakeStatus()
{
    QFETCH(int, failure);
    QFETCH(QString, detail);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(QString, message);
    QCOMPARE(httpStatusFor(HandshakeFailure(failure)), status);
    QCOMPARE(httpReasonPhrase(status), reason);
    QCOMPARE(handshakeMessage(HandshakeFailure(failure), detail), message);
}

void TestWireStatus::handshakeBodyRoundTrip_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addRow("plain") << 409
                           << QStringLiteral(
                                  "Failed to create producer/consumer: Exclusive consumer is already connected");
    QTest::addRow("markup") << 400 << QStringLiteral("Invalid query params: Invalid subscriptionType <b>&\"x'</b>");
    QTest::addRow("unicode") << 500 << QStringLiteral("Failed to create reader: 主题 ünknown");
    QTest::addRow("multi-line") << 500 << QStringLiteral("line one\nline two");
}

void TestWireStatus::handshakeBodyRoundTrip()
{
    QFETCH(int, status);
    QFETCH(QString, message);
    const QByteArray body = handshakeErrorBody(status, message);
    QVERIFY(body.contains(QByteArray("<title>Error " + QByteArray::number(status) + ' ')));
    QVERIFY(!body.contains("<b>"));
    QCOMPARE(extractHandshakeMessage(body), message);
}

void TestWireStatus::extractFromOtherBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::addRow("admin reason") << QByteArray(R"({"reason":"Topic not found"})") << QStringLiteral("Topic not found");
    QTest::addRow("json message") << QByteArray(R"({"message":"nope"})") << QStringLiteral("nope");
    QTest::addRow("plain text") << QByteArray("Failed to authenticate\n") << QStringLiteral("Failed to authenticate");
    QTest::addRow("title only")
        << QByteArray("<html><head><title>Error 500 java.lang.IllegalArgumentException: Invalid topic name "
                      "format</title></head><body></body></html>")
        << QStringLiteral("java.lang.IllegalArgumentException: Invalid topic name format");
    QTest::addRow("unknown html") << QByteArray("<html><body>oops</body></html>") << QString();
    QTest::addRow("empty") << QByteArray() << QString();
}

void TestWireStatus::extractFromOtherBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QCOMPARE(extractHandshakeMessage(body), message);
}

void TestWireStatus::closeReasons()
{
    QCOMPARE(messageTooBigReason(1048577, 1048576),
             QStringLiteral("Text message size [1048577] exceeds maximum size [1048576]"));
    QCOMPARE(idleTimeoutReason(3000),
             QStringLiteral("java.util.concurrent.TimeoutException: Idle timeout expired: 3000/3000 ms"));
    QCOMPARE(CloseCode::TooBig, 1009);
    QCOMPARE(CloseCode::InternalError, 1011);
    QCOMPARE(CloseCode::GoingAway, 1001);
}

void TestWireStatus::readableHandshakeMessages_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("readable");
    QTest::addRow("pulsar 4.0 conflict")
        << QStringLiteral(
               "Failed to create producer/consumer: {\"errorMsg\":\"Exclusive consumer is already connected\","
               "\"reqId\":2416094268379468644, \"remote\":\"127.0.0.1/127.0.0.1:60271\", "
               "\"local\":\"/127.0.0.1:44234\"}")
        << QStringLiteral("Failed to create producer/consumer: Exclusive consumer is already connected");
    QTest::addRow("unescaped quotes inside")
        << QStringLiteral("Failed to create producer/consumer: {\"errorMsg\":\"Producer with name 'a\"b' is taken\","
                          "\"reqId\":1, \"remote\":\"x\", \"local\":\"y\"}")
        << QStringLiteral("Failed to create producer/consumer: Producer with name 'a\"b' is taken");
    QTest::addRow("plain") << QStringLiteral("Not authorized") << QStringLiteral("Not authorized");
    QTest::addRow("truncated object") << QStringLiteral("X: {\"errorMsg\":\"half")
                                      << QStringLiteral("X: {\"errorMsg\":\"half");
    QTest::addRow("empty") << QString() << QString();
}

void TestWireStatus::readableHandshakeMessages()
{
    QFETCH(QString, message);
    QFETCH(QString, readable);
    QCOMPARE(readableHandshakeMessage(message), readable);
}

QTEST_GUILESS_MAIN(TestWireStatus)
#include "tst_wirestatus.moc"
