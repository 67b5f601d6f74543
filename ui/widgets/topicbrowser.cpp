#include "topicbrowser.h"

#include "admin/adminclient.h"
#include "dialogs/createtopicdialog.h"
#include "models/eventlog.h"
#include "models/topicfiltermodel.h"
#include "models/topictreemodel.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Gui {

namespace {

using NodeKind = TopicTreeModel::NodeKind;

NodeKind kindOf(const QModelIndex &sourceIndex)
{
    return NodeKind(sourceIndex.data(TopicTreeModel::NodeKindRole).toInt());
}

bool isTopicKind(NodeKind kind)
{
    return kind == NodeKind::Topic || kind == NodeKind::PartitionedTopic || kind == NodeKind::Partition;
}

QAction *makeAction(QWidget *owner, const char *objectName, const QString &text)
{
    auto *action = new QAction(text, owner);
    action->setObjectName(QString::fromLatin1(objectName));
    // Shortcuts work while the focus is anywhere in the browser, not in the whole window.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    owner->addAction(action);
    return action;
}

} // namespace

TopicBrowser::TopicBrowser(EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_model(new TopicTreeModel(this))
    , m_filter(new TopicFilterModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_refreshButton(new QPushButton(tr("Refresh"), this))
    , m_tree(new QTreeView(this))
    , m_status(new QLabel(this))
    , m_menu(new QMenu(this))
{
    setObjectName(QStringLiteral("topicBrowser"));
    m_filter->setSourceModel(m_model);

    m_filterEdit->setObjectName(QStringLiteral("topicFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter loaded topics"));
    m_filterEdit->setClearButtonEnabled(true);
    m_refreshButton->setObjectName(QStringLiteral("refreshTopicsButton"));
    m_refreshButton->setToolTip(tr("Reload the tenants and every open namespace"));

    m_tree->setObjectName(QStringLiteral("topicTree"));
    m_tree->setModel(m_filter);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(TopicTreeModel::NameColumn, 260);

    m_status->setObjectName(QStringLiteral("topicStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_filterEdit, 1);
    top->addWidget(m_refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_status);

    m_produce = makeAction(this, "produceAction", tr("&Produce…"));
    m_consume = makeAction(this, "consumeAction", tr("&Consume…"));
    m_read = makeAction(this, "readAction", tr("&Read…"));
    m_copyName = makeAction(this, "copyTopicNameAction", tr("Copy &Name"));
    m_copyName->setShortcut(QKeySequence::Copy);
    m_createTopic = makeAction(this, "createTopicAction", tr("Create &Topic…"));
    m_deleteTopic = makeAction(this, "deleteTopicAction", tr("&Delete Topic…"));
    m_deleteTopic->setShortcut(QKeySequence::Delete);
    m_refresh = makeAction(this, "refreshAction", tr("Re&fresh"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_menu->setObjectName(QStringLiteral("topicContextMenu"));
    m_menu->addActions({m_produce, m_consume, m_read});
    m_menu->addSeparator();
    m_menu->addAction(m_copyName);
    m_menu->addSeparator();
    m_menu->addActions({m_createTopic, m_deleteTopic});
    m_menu->addSeparator();
    m_menu->addAction(m_refresh);

    connect(m_produce, &QAction::triggered, this, [this] { emitFor(&TopicBrowser::produceRequested); });
    connect(m_consume, &QAction::triggered, this, [this] { emitFor(&TopicBrowser::consumeRequested); });
    connect(m_read, &QAction::triggered, this, [this] { emitFor(&TopicBrowser::readRequested); });
    connect(m_copyName, &QAction::triggered, this, &TopicBrowser::copyName);
    connect(m_createTopic, &QAction::triggered, this, &TopicBrowser::createTopic);
    connect(m_deleteTopic, &QAction::triggered, this, &TopicBrowser::deleteTopic);
    connect(m_refresh, &QAction::triggered, this, &TopicBrowser::refresh);
    connect(m_refreshButton, &QPushButton::clicked, this, &TopicBrowser::refresh);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &TopicFilterModel::setFilterText);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        // Matches inside collapsed nodes are what the user is looking for.
        if (!text.trimmed().isEmpty())
            m_tree->expandAll();
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, &TopicBrowser::showContextMenu);
    connect(m_tree, &QAbstractItemView::activated, this, &TopicBrowser::onActivated);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(m_model, &TopicTreeModel::fetchFailed, this, &TopicBrowser::onFetchFailed);
    connect(m_model, &TopicTreeModel::listTruncated, this, [this](const QString &what, int shown, int total) {
        const QString text = tr("Showing the first %1 of %2 entries of %3.").arg(shown).arg(total).arg(what);
        m_log->warning(tr("Topic browser"), text);
        showStatus(text, false);
    });
    connect(m_model, &TopicTreeModel::loadingChanged, this, [this](bool loading) {
        // "Loading…" never hides a result or an error, and only it goes away when loading ends.
        const QString busy = tr("Loading…");
        if (loading && m_status->text().isEmpty())
            showStatus(busy, false);
        else if (!loading && m_status->text() == busy)
            showStatus(QString(), false);
    });
    updateActions();
}

TopicBrowser::~TopicBrowser() = default;

void TopicBrowser::setAdminClient(Pulsar::AdminClient *admin)
{
    m_admin = admin;
    showStatus(QString(), false);
    m_model->setAdminClient(admin);
    updateActions();
}

void TopicBrowser::refresh()
{
    if (!m_admin)
        return;
    showStatus(QString(), false);
    m_model->refresh([this](const QModelIndex &sourceIndex) {
        const QModelIndex shown = m_filter->mapFromSource(sourceIndex);
        // A node the filter hides may be open underneath: keep it loaded rather than lose that.
        return !shown.isValid() || m_tree->isExpanded(shown);
    });
}

std::optional<Pulsar::TopicName> TopicBrowser::selectedTopic() const
{
    return topicAt(currentSourceIndex());
}

QModelIndex TopicBrowser::currentSourceIndex() const
{
    return m_filter->mapToSource(m_tree->currentIndex()).siblingAtColumn(TopicTreeModel::NameColumn);
}

std::optional<Pulsar::TopicName> TopicBrowser::topicAt(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || !isTopicKind(kindOf(sourceIndex)))
        return std::nullopt;
    const auto topic = Pulsar::TopicName::parse(sourceIndex.data(TopicTreeModel::TopicNameRole).toString());
    if (!topic)
        return std::nullopt;
    return *topic;
}

void TopicBrowser::updateActions()
{
    const QModelIndex index = currentSourceIndex();
    const bool valid = index.isValid();
    const NodeKind kind = valid ? kindOf(index) : NodeKind::Loading;
    const bool topic = valid && isTopicKind(kind);
    const bool connected = !m_admin.isNull();
    m_produce->setEnabled(topic);
    m_consume->setEnabled(topic);
    m_read->setEnabled(topic);
    m_copyName->setEnabled(valid && (topic || kind == NodeKind::Tenant || kind == NodeKind::Namespace));
    m_createTopic->setEnabled(connected && valid && (topic || kind == NodeKind::Namespace));
    // A single partition is deleted only with its partitioned topic.
    m_deleteTopic->setEnabled(connected && (kind == NodeKind::Topic || kind == NodeKind::PartitionedTopic));
    m_refresh->setEnabled(connected);
    m_refreshButton->setEnabled(connected);
}

void TopicBrowser::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (index.isValid())
        m_tree->setCurrentIndex(index);
    updateActions();
    m_menu->popup(m_tree->viewport()->mapToGlobal(pos));
}

void TopicBrowser::onCurrentChanged(const QModelIndex &current)
{
    Q_UNUSED(current)
    updateActions();
    if (const auto topic = selectedTopic())
        Q_EMIT topicSelected(*topic);
}

void TopicBrowser::onActivated(const QModelIndex &index)
{
    if (const auto topic = topicAt(m_filter->mapToSource(index).siblingAtColumn(TopicTreeModel::NameColumn)))
        Q_EMIT consumeRequested(*topic);
}

void TopicBrowser::emitFor(void (TopicBrowser::*signal)(const Pulsar::TopicName &))
{
    if (const auto topic = selectedTopic())
        Q_EMIT(this->*signal)(*topic);
}

void TopicBrowser::copyName()
{
    const QModelIndex index = currentSourceIndex();
    if (!index.isValid())
        return;
    QString name;
    switch (kindOf(index)) {
    case NodeKind::Tenant:
        name = index.data(TopicTreeModel::TenantRole).toString();
        break;
    case NodeKind::Namespace:
        name = index.data(TopicTreeModel::NamespaceNameRole).toString();
        break;
    case NodeKind::Topic:
    case NodeKind::PartitionedTopic:
    case NodeKind::Partition:
        name = index.data(TopicTreeModel::TopicNameRole).toString();
        break;
    default:
        return;
    }
    QGuiApplication::clipboard()->setText(name);
}

void TopicBrowser::createTopic()
{
    const QModelIndex index = currentSourceIndex();
    if (!m_admin || !index.isValid())
        return;
    const NodeKind kind = kindOf(index);
    if (kind != NodeKind::Namespace && !isTopicKind(kind))
        return;
    const auto ns = Pulsar::NamespaceName::parse(index.data(TopicTreeModel::NamespaceNameRole).toString());
    if (!ns)
        return;
    auto *dialog = new CreateTopicDialog(*ns, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const auto topic = dialog->topic())
            createTopicIn(dialog->namespaceName(), *topic, dialog->partitions());
    });
    dialog->open();
}

void TopicBrowser::createTopicIn(const Pulsar::NamespaceName &ns, const Pulsar::TopicName &topic, int partitions)
{
    if (!m_admin)
        return;
    Pulsar::AdminCall *call =
        partitions > 0 ? m_admin->createPartitionedTopic(topic, partitions) : m_admin->createNonPartitionedTopic(topic);
    const QString name = topic.toString();
    call->then(
        this,
        [this, ns, name, partitions] {
            const QString text = partitions > 0 ? tr("Created %1 with %n partition(s).", "", partitions).arg(name)
                                                : tr("Created %1.").arg(name);
            m_log->info(tr("Topic browser"), text);
            showStatus(text, false);
            reloadNamespace(ns);
        },
        [this, name](const Pulsar::AdminError &error) {
            const QString text = tr("Could not create %1: %2").arg(name, error.message());
            m_log->error(tr("Topic browser"), text);
            showStatus(text, true);
        });
}

void TopicBrowser::deleteTopic()
{
    const QModelIndex index = currentSourceIndex();
    const auto topic = topicAt(index);
    if (!m_admin || !topic)
        return;
    const NodeKind kind = kindOf(index);
    if (kind != NodeKind::Topic && kind != NodeKind::PartitionedTopic)
        return;
    const bool partitioned = kind == NodeKind::PartitionedTopic;
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Delete Topic"),
        partitioned ? tr("Delete the partitioned topic %1 and all its partitions?\nTheir "
                         "messages and subscriptions are lost.")
                          .arg(topic->toString())
                    : tr("Delete the topic %1?\nIts messages and subscriptions are lost.").arg(topic->toString()),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteTopicConfirmation"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const Pulsar::TopicName target = *topic;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, target, partitioned](QAbstractButton *button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            deleteTopicNow(target, partitioned);
    });
    box->open();
}

void TopicBrowser::deleteTopicNow(const Pulsar::TopicName &topic, bool partitioned)
{
    if (!m_admin)
        return;
    Pulsar::AdminCall *call = partitioned ? m_admin->deletePartitionedTopic(topic) : m_admin->deleteTopic(topic);
    const QString name = topic.toString();
    const Pulsar::NamespaceName ns = topic.namespaceName();
    call->then(
        this,
        [this, name, ns] {
            const QString text = tr("Deleted %1.").arg(name);
            m_log->info(tr("Topic browser"), text);
            showStatus(text, false);
            reloadNamespace(ns);
        },
        [this, name](const Pulsar::AdminError &error) {
            const QString text = tr("Could not delete %1: %2").arg(name, error.message());
            m_log->error(tr("Topic browser"), text);
            showStatus(text, true);
        });
}

void TopicBrowser::reloadNamespace(const Pulsar::NamespaceName &ns)
{
    const QModelIndex index = m_model->indexForName(ns.toString());
    if (index.isValid())
        m_model->reload(index);
}

void TopicBrowser::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setProperty("error", error && !text.isEmpty());
    m_status->setStyleSheet(error ? QStringLiteral("color: red") : QString());
    m_status->setVisible(!text.isEmpty());
}

void TopicBrowser::onFetchFailed(const QString &what, const Pulsar::AdminError &error)
{
    const QString text = tr("Could not load %1: %2").arg(what, error.message());
    m_log->error(tr("Topic browser"), text);
    showStatus(text, true);
}

} // namespace Gui
