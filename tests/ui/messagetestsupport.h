#pragma once

// Shared by tst_consumerpanel and tst_readerpanel: the bundled proxy in-process, a raw QWebSocket producer that
// records the ids the proxy acks, and the admin API's topic stats over QNetworkAccessManager.
#include "proxyfixture.h"

#include "client/connectionprofile.h"
#include "protocol/messageid.h"
#include "protocol/topicname.h"

#include <QAbstractButton>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTest>

namespace MessageTest {

constexpr int kWaitMs = 20000;

inline Pulsar::TopicName uniqueTopic(const QString &prefix)
{
    return *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/") + prefix + QLatin1Char('-') +
                                     QString::number(QRandomGenerator::global()->generate64(), 36));
}

inline Pulsar::ConnectionProfile profileFor(const TestSupport::ProxyFixture &proxy)
{
    Pulsar::ConnectionProfile profile;
    profile.name = QStringLiteral("test");
    profile.serviceUrl = QUrl(proxy.wsBase());
    return profile;
}

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

inline QString displayId(const QString &base64)
{
    const Pulsar::Result<Pulsar::MessageId> id = Pulsar::MessageId::fromBase64(QStringView(base64));
    return id ? id->toString() : QString();
}

} // namespace MessageTest
