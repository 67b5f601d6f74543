#pragma once

// Shared by tst_consumerpanel and tst_readerpanel: the bundled proxy in-process, a raw QWebSocket producer that
// records the ids the proxy acks, the admin API's topic stats over QNetworkAccessManager, and what the message
// table holds.
#include "paneldriver.h"
#include "proxyfixture.h"

#include "models/messagetablemodel.h"
#include "protocol/messageid.h"

#include <QAbstractButton>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

namespace MessageTest {

constexpr int kWaitMs = TestSupport::kPanelWaitMs;
using TestSupport::profileFor;
using TestSupport::uniqueTopic;

struct Published
{
    QByteArray payload;
    QString messageId; // base64, from the proxy's ack
};

// Publishes over a raw WebSocket (not the project's ProducerSession) and waits for every ack.
inline QList<Published> publish(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic,
                                const QByteArrayList &payloads, const QJsonObject &properties = {},
                                const QString &key = QString())
{
    TestSupport::WsClient producer(proxy.url(QStringLiteral("/ws/v2/producer/") + topic.restPath()));
    if (!producer.waitConnected())
        return {};
    for (int i = 0; i < payloads.size(); ++i)
        producer.send(TestSupport::sendFrame(payloads[i], QString::number(i), properties, key));
    if (!QTest::qWaitFor([&] { return producer.count() >= payloads.size(); }, kWaitMs))
        return {};
    QList<Published> result;
    for (int i = 0; i < payloads.size(); ++i) {
        const QJsonObject &ack = producer.frames()[i];
        if (ack.value(QLatin1String("result")).toString() != QLatin1String("ok"))
            return {};
        const int context = ack.value(QLatin1String("context")).toString().toInt();
        result.append({payloads[context], ack.value(QLatin1String("messageId")).toString()});
    }
    std::sort(result.begin(), result.end(), [&](const Published &a, const Published &b) {
        return payloads.indexOf(a.payload) < payloads.indexOf(b.payload);
    });
    return result;
}

inline QByteArrayList numbered(const QByteArray &prefix, int count)
{
    QByteArrayList list;
    for (int i = 0; i < count; ++i)
        list.append(prefix + QByteArray::number(i));
    return list;
}

// GET /admin/v2/<rest path>/<op> without blocking the event loop the proxy runs in.
inline QJsonObject adminGet(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic, const QString &op)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(proxy.port()) +
                                 QStringLiteral("/admin/v2/") + topic.restPath() + QLatin1Char('/') + op));
    QNetworkReply *reply = manager.get(request);
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, kWaitMs))
        qWarning("admin GET %s: no answer", qPrintable(request.url().toString()));
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isArray()) {
        QJsonObject wrapped;
        wrapped.insert(QStringLiteral("array"), document.array());
        return wrapped;
    }
    return document.object();
}

inline qint64 backlog(const TestSupport::ProxyFixture &proxy, const Pulsar::TopicName &topic,
                      const QString &subscription)
{
    const QJsonObject stats = adminGet(proxy, topic, QStringLiteral("stats"));
    const QJsonObject subscriptions = stats.value(QLatin1String("subscriptions")).toObject();
    if (!subscriptions.contains(subscription))
        return -1;
    return subscriptions.value(subscription).toObject().value(QLatin1String("msgBacklog")).toInteger(-1);
}

// The payloads of the table's rows, top to bottom.
inline QByteArrayList payloadsOf(const Gui::MessageTableModel *model)
{
    QByteArrayList list;
    for (int row = 0; row < model->rowCount(); ++row)
        list.append(model->message(row).message.payload);
    return list;
}

inline QString displayId(const QString &base64)
{
    const Pulsar::Result<Pulsar::MessageId> id = Pulsar::MessageId::fromBase64(QStringView(base64));
    return id ? id->toString() : QString();
}

} // namespace MessageTest
