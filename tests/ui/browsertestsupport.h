#pragma once

// Shared by the browser's tests: the bundled proxy in-process and an AdminClient on its HTTP admin API, with
// helpers that wait (by spinning the event loop) for admin calls made to set the cluster up.
#include "proxyfixture.h"

#include "admin/adminclient.h"
#include "models/topictreemodel.h"

#include <QAbstractItemModel>
#include <QTest>

#include <memory>

namespace BrowserTest {

constexpr int kWaitMs = 15000;

inline Pulsar::AdminConnection adminConnectionFor(const TestSupport::ProxyFixture &proxy)
{
    Pulsar::AdminConnection connection;
    connection.adminUrl = QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(proxy.port()));
    connection.timeoutMs = kWaitMs;
    return connection;
}

inline Pulsar::TopicName topic(const QString &name)
{
    return *Pulsar::TopicName::parse(name);
}

// Waits for one admin call; false (with the reason printed) when it failed.
inline bool finish(Pulsar::AdminCall *call)
{
    bool done = false;
    bool ok = false;
    QObject context;
    call->then(
        &context,
        [&] {
            done = true;
            ok = true;
        },
        [&](const Pulsar::AdminError &error) {
            done = true;
            qWarning("admin call failed: %s", qPrintable(error.message()));
        });
    if (!QTest::qWaitFor([&] { return done; }, kWaitMs))
        return false;
    return ok;
}

inline Gui::TopicTreeModel::NodeKind kindOf(const QModelIndex &index)
{
    return Gui::TopicTreeModel::NodeKind(index.data(Gui::TopicTreeModel::NodeKindRole).toInt());
}

// The display texts of the children of `parent`.
inline QStringList childNames(const QAbstractItemModel *model, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(parent); ++row)
        names.append(model->index(row, 0, parent).data().toString());
    return names;
}

} // namespace BrowserTest
