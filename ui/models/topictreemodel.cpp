#include "topictreemodel.h"

#include "admin/adminclient.h"
#include "admin/topictree.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QSet>
#include <QStyle>

#include <algorithm>
#include <utility>

namespace Gui {

struct TopicTreeModel::Node
{
    NodeKind kind = NodeKind::Tenant;
    QString key;      // unique among siblings (the kind is part of it, so a topic that became partitioned is new)
    QString name;     // what the Name column shows
    QString fullName; // tenant, "tenant/namespace" or the full topic name
    QString tenant;
    QString ns;
    bool persistent = true;
    int partitionIndex = -1;
    LoadState load = LoadState::NotLoaded; // tenants, namespaces and the root
    QString error;                         // the last fetch failure, for the tooltip
    quint64 id = 0;
    quint64 serial = 0; // bumped by every load, so that older replies are recognised
    QList<QPointer<Pulsar::AdminCall>> calls;
    Node *parent = nullptr;
    int row = 0;
    NodeList children;
};

namespace {

using NodeKind = TopicTreeModel::NodeKind;

bool isPlaceholder(NodeKind kind)
{
    return kind == NodeKind::Loading || kind == NodeKind::Error;
}

bool isTopicKind(NodeKind kind)
{
    return kind == NodeKind::Topic || kind == NodeKind::PartitionedTopic || kind == NodeKind::Partition;
}

QString keyFor(NodeKind kind, const QString &fullName)
{
    return QString::number(int(kind)) + QLatin1Char('|') + fullName;
}

} // namespace

TopicTreeModel::TopicTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_root->id = m_nextId++;
    m_loadable.insert(m_root->id, m_root.get());
}

TopicTreeModel::~TopicTreeModel()
{
    // Replies still running must not reach a model that is going away.
    forget(m_root.get());
}

void TopicTreeModel::setAdminClient(Pulsar::AdminClient *admin)
{
    const bool wasLoading = isLoading();
    beginResetModel();
    for (auto &child : m_root->children)
        forget(child.get());
    m_root->children.clear();
    cancelCalls(m_root.get());
    m_root->load = LoadState::NotLoaded;
    m_root->error.clear();
    ++m_root->serial;
    m_admin = admin;
    endResetModel();
    if (m_admin)
        load(m_root.get());
    emitLoadingChanged(wasLoading);
}

void TopicTreeModel::refresh(const std::function<bool(const QModelIndex &)> &keepLoaded)
{
    if (!m_admin)
        return;
    // Tenants first, then namespaces: unloading a tenant drops its namespaces, so look each id up again.
    QList<quint64> tenants;
    QList<quint64> namespaces;
    for (auto it = m_loadable.cbegin(); it != m_loadable.cend(); ++it) {
        const Node *node = it.value();
        if (node == m_root.get() || node->load == LoadState::NotLoaded || node->load == LoadState::Loading)
            continue;
        (node->kind == NodeKind::Tenant ? tenants : namespaces).append(node->id);
    }
    const bool wasLoading = isLoading();
    load(m_root.get());
    for (const QList<quint64> &ids : {tenants, namespaces}) {
        for (const quint64 id : ids) {
            Node *node = m_loadable.value(id);
            if (!node)
                continue;
            if (keepLoaded && !keepLoaded(indexFor(node)))
                unload(node);
            else
                load(node);
        }
    }
    emitLoadingChanged(wasLoading);
}

void TopicTreeModel::reload(const QModelIndex &index)
{
    Node *node = nodeFor(index);
    if (!node || node == m_root.get() || !isLoadable(node) || !m_admin)
        return;
    const bool wasLoading = isLoading();
    load(node);
    emitLoadingChanged(wasLoading);
}

bool TopicTreeModel::isLoading() const
{
    return std::any_of(m_loadable.cbegin(), m_loadable.cend(),
                       [](const Node *node) { return node->load == LoadState::Loading; });
}

QModelIndex TopicTreeModel::indexForName(const QString &name) const
{
    // Topic names are "domain://tenant/namespace/local": compare the path part with tenants and namespaces, and
    // walk only the branch the name can be in.
    const auto pathOf = [](const QString &text) {
        const qsizetype scheme = text.indexOf(QLatin1String("://"));
        return scheme < 0 ? text : text.mid(scheme + 3);
    };
    const QString path = pathOf(name);
    std::function<const Node *(const Node *)> find = [&](const Node *parent) -> const Node * {
        for (const auto &child : parent->children) {
            if (isPlaceholder(child->kind))
                continue;
            if (child->fullName == name)
                return child.get();
            const bool under = child->kind == NodeKind::PartitionedTopic
                                   ? name.startsWith(child->fullName + QLatin1String("-partition-"))
                                   : !isTopicKind(child->kind) && path.startsWith(child->fullName + QLatin1Char('/'));
            if (under) {
                if (const Node *found = find(child.get()))
                    return found;
            }
        }
        return nullptr;
    };
    return indexFor(find(m_root.get()));
}

// --- QAbstractItemModel ----------------------------------------------------------------------------------------

TopicTreeModel::Node *TopicTreeModel::nodeFor(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_root.get();
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex TopicTreeModel::indexFor(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return QModelIndex();
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex TopicTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return QModelIndex();
    const Node *node = nodeFor(parent);
    if (row >= int(node->children.size()))
        return QModelIndex();
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex TopicTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    return indexFor(nodeFor(child)->parent);
}

int TopicTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int TopicTreeModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

bool TopicTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    // An unloaded tenant or namespace may have children: the view shows an expander, and expanding fetches.
    if (node != m_root.get() && isLoadable(node) && node->load == LoadState::NotLoaded)
        return true;
    return !node->children.empty();
}

bool TopicTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    return m_admin && node != m_root.get() && isLoadable(node) && node->load == LoadState::NotLoaded;
}

void TopicTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // The view asks while it lays out (and model testers while they handle our own signals): change nothing
    // under them, load on the next turn of the event loop.
    Node *node = nodeFor(parent);
    const bool wasLoading = isLoading();
    node->load = LoadState::Loading;
    const quint64 id = node->id;
    const quint64 serial = ++node->serial;
    QMetaObject::invokeMethod(
        this,
        [this, id, serial] {
            if (Node *target = current(id, serial)) {
                const bool before = isLoading();
                load(target);
                emitLoadingChanged(before);
            }
        },
        Qt::QueuedConnection);
    emitLoadingChanged(wasLoading);
}

QVariant TopicTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return QVariant();
    const Node *node = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return node->name;
        switch (node->kind) {
        case NodeKind::Topic:
            return node->persistent ? tr("Persistent") : tr("Non-persistent");
        case NodeKind::PartitionedTopic:
            return node->persistent ? tr("Persistent, partitioned") : tr("Non-persistent, partitioned");
        case NodeKind::Partition:
            return node->persistent ? tr("Persistent partition") : tr("Non-persistent partition");
        default:
            return QVariant();
        }
    case Qt::ToolTipRole:
        switch (node->kind) {
        case NodeKind::Tenant:
        case NodeKind::Namespace:
            if (!node->error.isEmpty())
                return tr("%1\nCould not load: %2").arg(node->fullName, node->error);
            return node->fullName;
        case NodeKind::Topic:
        case NodeKind::PartitionedTopic:
        case NodeKind::Partition:
            return tr("%1\n%2").arg(node->fullName,
                                    data(index.siblingAtColumn(TypeColumn), Qt::DisplayRole).toString());
        case NodeKind::Loading:
            return tr("Loading…");
        case NodeKind::Error:
            return node->error;
        }
        return QVariant();
    case Qt::DecorationRole: {
        if (index.column() != NameColumn || !qApp)
            return QVariant();
        const QStyle *style = QApplication::style();
        switch (node->kind) {
        case NodeKind::Tenant:
            return style->standardIcon(QStyle::SP_DirHomeIcon);
        case NodeKind::Namespace:
            return style->standardIcon(QStyle::SP_DirIcon);
        case NodeKind::Topic:
        case NodeKind::Partition:
            // Persistent topics live on disk; non-persistent ones only pass through.
            return style->standardIcon(node->persistent ? QStyle::SP_DriveHDIcon : QStyle::SP_DriveNetIcon);
        case NodeKind::PartitionedTopic:
            return style->standardIcon(node->persistent ? QStyle::SP_FileDialogListView
                                                        : QStyle::SP_FileDialogDetailedView);
        case NodeKind::Loading:
            return style->standardIcon(QStyle::SP_BrowserReload);
        case NodeKind::Error:
            return style->standardIcon(QStyle::SP_MessageBoxWarning);
        }
        return QVariant();
    }
    case Qt::FontRole:
        if ((isTopicKind(node->kind) && !node->persistent) || isPlaceholder(node->kind)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return QVariant();
    case Qt::ForegroundRole:
        if (node->kind == NodeKind::Error ||
            ((node->kind == NodeKind::Tenant || node->kind == NodeKind::Namespace) && !node->error.isEmpty()))
            return QColor(Qt::red);
        return QVariant();
    case TopicNameRole:
        return isTopicKind(node->kind) ? node->fullName : QString();
    case NodeKindRole:
        return int(node->kind);
    case NamespaceNameRole:
        return node->ns;
    case TenantRole:
        return node->tenant;
    case PersistentRole:
        return isTopicKind(node->kind) ? QVariant(node->persistent) : QVariant();
    default:
        return QVariant();
    }
}

QVariant TopicTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    default:
        return QVariant();
    }
}

Qt::ItemFlags TopicTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Node *node = nodeFor(index);
    if (isPlaceholder(node->kind))
        return Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (node->kind == NodeKind::Topic || node->kind == NodeKind::Partition)
        flags |= Qt::ItemNeverHasChildren;
    return flags;
}

// --- Loading ---------------------------------------------------------------------------------------------------

bool TopicTreeModel::isLoadable(const Node *node) const
{
    return node == m_root.get() || node->kind == NodeKind::Tenant || node->kind == NodeKind::Namespace;
}

QString TopicTreeModel::describe(const Node *node) const
{
    if (node == m_root.get())
        return tr("the tenants");
    if (node->kind == NodeKind::Tenant)
        return tr("the namespaces of tenant %1").arg(node->fullName);
    return tr("the topics of namespace %1").arg(node->fullName);
}

void TopicTreeModel::load(Node *node)
{
    if (!m_admin)
        return;
    cancelCalls(node);
    const quint64 serial = ++node->serial;
    const bool hasRealChildren = std::any_of(node->children.cbegin(), node->children.cend(),
                                             [](const auto &child) { return !isPlaceholder(child->kind); });
    node->load = LoadState::Loading;
    // A first load (or a retry after an error) shows a placeholder; a reload keeps the rows until the answer.
    if (node != m_root.get() && !hasRealChildren) {
        auto placeholder = std::make_unique<Node>();
        placeholder->kind = NodeKind::Loading;
        placeholder->key = keyFor(NodeKind::Loading, QString());
        placeholder->name = tr("Loading…");
        placeholder->tenant = node->tenant;
        placeholder->ns = node->ns;
        setPlaceholder(node, std::move(placeholder));
    }
    if (node == m_root.get())
        loadTenants(node, node->id, serial);
    else if (node->kind == NodeKind::Tenant)
        loadNamespaces(node, node->id, serial);
    else
        loadTopics(node, node->id, serial);
}

TopicTreeModel::Node *TopicTreeModel::current(quint64 id, quint64 serial) const
{
    Node *node = m_loadable.value(id);
    return node && node->serial == serial ? node : nullptr;
}

void TopicTreeModel::loadTenants(Node *node, quint64 id, quint64 serial)
{
    Pulsar::AdminReply<QStringList> *call = m_admin->tenants();
    node->calls.append(call);
    call->then(
        this,
        [this, id, serial](const QStringList &tenants) {
            Node *target = current(id, serial);
            if (!target)
                return;
            QStringList sorted = tenants;
            sorted.sort();
            sorted.removeDuplicates();
            NodeList fresh;
            for (const QString &tenant : std::as_const(sorted)) {
                auto n = std::make_unique<Node>();
                n->kind = NodeKind::Tenant;
                n->key = keyFor(n->kind, tenant);
                n->name = n->fullName = n->tenant = tenant;
                fresh.push_back(std::move(n));
            }
            finishLoad(target, std::move(fresh));
        },
        [this, id, serial](const Pulsar::AdminError &error) {
            if (Node *target = current(id, serial))
                failLoad(target, error);
        });
}

void TopicTreeModel::loadNamespaces(Node *node, quint64 id, quint64 serial)
{
    Pulsar::AdminReply<QStringList> *call = m_admin->namespaces(node->fullName);
    node->calls.append(call);
    call->then(
        this,
        [this, id, serial](const QStringList &namespaces) {
            Node *target = current(id, serial);
            if (!target)
                return;
            QList<Pulsar::NamespaceName> names;
            for (const QString &text : namespaces) {
                const auto ns = Pulsar::NamespaceName::parse(text);
                if (ns && ns->tenant() == target->fullName)
                    names.append(*ns);
            }
            std::sort(names.begin(), names.end(), [](const Pulsar::NamespaceName &a, const Pulsar::NamespaceName &b) {
                return a.toString() < b.toString();
            });
            NodeList fresh;
            QSet<QString> seen;
            for (const Pulsar::NamespaceName &ns : std::as_const(names)) {
                const QString full = ns.toString();
                if (seen.contains(full))
                    continue;
                seen.insert(full);
                auto n = std::make_unique<Node>();
                n->kind = NodeKind::Namespace;
                n->key = keyFor(n->kind, full);
                n->fullName = n->ns = full;
                n->tenant = ns.tenant();
                n->name = ns.isV2() ? ns.localName() : ns.cluster() + QLatin1Char('/') + ns.localName();
                fresh.push_back(std::move(n));
            }
            finishLoad(target, std::move(fresh));
        },
        [this, id, serial](const Pulsar::AdminError &error) {
            if (Node *target = current(id, serial))
                failLoad(target, error);
        });
}

void TopicTreeModel::loadTopics(Node *node, quint64 id, quint64 serial)
{
    const auto ns = Pulsar::NamespaceName::parse(node->fullName);
    if (!ns) {
        failLoad(node, Pulsar::AdminError{Pulsar::AdminError::Configuration, 0, ns.error().message});
        return;
    }
    // Three lists make one answer: every topic with partitions expanded, and the partitioned topics of each
    // domain (so a partitioned topic shows even when none of its partitions is listed).
    struct Pending
    {
        QStringList topics;
        QStringList partitioned;
        int remaining = 3;
    };
    auto pending = std::make_shared<Pending>();
    const auto succeeded = [this, id, serial, pending] {
        if (--pending->remaining > 0)
            return;
        Node *target = current(id, serial);
        if (!target)
            return;
        const QList<Pulsar::TopicTreeEntry> entries = Pulsar::groupTopics(pending->topics, pending->partitioned);
        NodeList fresh;
        for (const Pulsar::TopicTreeEntry &entry : entries) {
            auto n = std::make_unique<Node>();
            n->kind = entry.partitioned ? NodeKind::PartitionedTopic : NodeKind::Topic;
            n->fullName = entry.topic.toString();
            n->key = keyFor(n->kind, n->fullName);
            n->name = entry.topic.localName();
            n->tenant = target->tenant;
            n->ns = target->ns;
            n->persistent = entry.isPersistent();
            for (const Pulsar::TopicName &partition : entry.partitions) {
                auto p = std::make_unique<Node>();
                p->kind = NodeKind::Partition;
                p->fullName = partition.toString();
                p->key = keyFor(p->kind, p->fullName);
                p->name = partition.localName();
                p->tenant = target->tenant;
                p->ns = target->ns;
                p->persistent = partition.isPersistent();
                p->partitionIndex = partition.partitionIndex();
                n->children.push_back(std::move(p));
            }
            fresh.push_back(std::move(n));
        }
        finishLoad(target, std::move(fresh));
    };
    const auto failed = [this, id, serial](const Pulsar::AdminError &error) {
        // The first failure answers for all three; the others are cancelled and their replies ignored.
        if (Node *target = current(id, serial))
            failLoad(target, error);
    };
    auto *all = m_admin->namespaceTopics(*ns, Pulsar::AdminClient::TopicListMode::All);
    auto *persistent = m_admin->partitionedTopics(*ns, Pulsar::TopicDomain::Persistent);
    auto *nonPersistent = m_admin->partitionedTopics(*ns, Pulsar::TopicDomain::NonPersistent);
    node->calls << all << persistent << nonPersistent;
    all->then(
        this,
        [pending, succeeded](const QStringList &topics) {
            pending->topics += topics;
            succeeded();
        },
        failed);
    for (auto *call : {persistent, nonPersistent}) {
        call->then(
            this,
            [pending, succeeded](const QStringList &topics) {
                pending->partitioned += topics;
                succeeded();
            },
            failed);
    }
}

void TopicTreeModel::finishLoad(Node *node, NodeList fresh)
{
    const bool wasLoading = isLoading();
    node->calls.clear();
    node->load = LoadState::Loaded;
    const bool hadError = !node->error.isEmpty();
    node->error.clear();
    if (fresh.size() > size_t(kMaxChildren)) {
        const int total = int(fresh.size());
        fresh.resize(size_t(kMaxChildren));
        Q_EMIT listTruncated(describe(node), kMaxChildren, total);
    }
    for (auto &child : fresh) {
        if (child->children.size() > size_t(kMaxChildren))
            child->children.resize(size_t(kMaxChildren));
    }
    mergeChildren(node, std::move(fresh));
    if (hadError && node != m_root.get()) {
        const QModelIndex index = indexFor(node);
        Q_EMIT dataChanged(index, index.siblingAtColumn(TypeColumn));
    }
    emitLoadingChanged(wasLoading);
}

void TopicTreeModel::failLoad(Node *node, const Pulsar::AdminError &error)
{
    const bool wasLoading = isLoading();
    // The other calls of the same load are stale now; they are left to finish (aborting a reply that has just
    // failed makes Qt warn) and their answers are not listened to.
    for (const QPointer<Pulsar::AdminCall> &call : std::exchange(node->calls, {})) {
        if (call)
            disconnect(call, nullptr, this, nullptr);
    }
    ++node->serial;
    node->load = LoadState::Failed;
    node->error = error.message();
    if (node != m_root.get()) {
        const bool hasRealChildren = std::any_of(node->children.cbegin(), node->children.cend(),
                                                 [](const auto &child) { return !isPlaceholder(child->kind); });
        // A failed reload keeps what was shown; a failed first load says why in place of the rows.
        if (!hasRealChildren) {
            auto row = std::make_unique<Node>();
            row->kind = NodeKind::Error;
            row->key = keyFor(NodeKind::Error, QString());
            row->name = tr("Could not load: %1").arg(error.message());
            row->error = error.message();
            row->tenant = node->tenant;
            row->ns = node->ns;
            setPlaceholder(node, std::move(row));
        }
        const QModelIndex index = indexFor(node);
        Q_EMIT dataChanged(index, index.siblingAtColumn(TypeColumn));
    }
    Q_EMIT fetchFailed(describe(node), error);
    emitLoadingChanged(wasLoading);
}

void TopicTreeModel::unload(Node *node)
{
    cancelCalls(node);
    ++node->serial;
    node->load = LoadState::NotLoaded;
    node->error.clear();
    if (!node->children.empty())
        removeChildren(node, 0, int(node->children.size()) - 1);
}

void TopicTreeModel::cancelCalls(Node *node)
{
    const QList<QPointer<Pulsar::AdminCall>> calls = std::exchange(node->calls, {});
    for (const QPointer<Pulsar::AdminCall> &call : calls) {
        if (!call)
            continue;
        // Disconnected first: cancel() fails the call at once, and that failure must not reach us.
        disconnect(call, nullptr, this, nullptr);
        call->cancel();
    }
}

void TopicTreeModel::emitLoadingChanged(bool before)
{
    const bool now = isLoading();
    if (now != before)
        Q_EMIT loadingChanged(now);
}

// --- Merging ---------------------------------------------------------------------------------------------------

void TopicTreeModel::setPlaceholder(Node *parent, std::unique_ptr<Node> placeholder)
{
    if (!parent->children.empty())
        removeChildren(parent, 0, int(parent->children.size()) - 1);
    NodeList rows;
    rows.push_back(std::move(placeholder));
    insertChildren(parent, 0, std::move(rows));
}

void TopicTreeModel::mergeChildren(Node *parent, NodeList fresh)
{
    NodeList &children = parent->children;
    QSet<QString> freshKeys;
    for (const auto &node : fresh)
        freshKeys.insert(node->key);
    // Drop what is gone (placeholders included), one block per contiguous run.
    for (int last = int(children.size()) - 1; last >= 0;) {
        if (freshKeys.contains(children[size_t(last)]->key)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !freshKeys.contains(children[size_t(first - 1)]->key))
            --first;
        removeChildren(parent, first, last);
        last = first - 1;
    }
    // What is left is normally in the fresh order already (both sorted the same way): update those, insert the
    // new ones in blocks between them.
    QSet<QString> remaining;
    for (const auto &node : children)
        remaining.insert(node->key);
    int row = 0;
    size_t f = 0;
    while (f < fresh.size()) {
        if (row < int(children.size()) && children[size_t(row)]->key == fresh[f]->key) {
            remaining.remove(fresh[f]->key);
            updateNode(children[size_t(row)].get(), std::move(fresh[f]));
            ++row;
            ++f;
            continue;
        }
        if (!remaining.contains(fresh[f]->key)) {
            NodeList run;
            while (f < fresh.size() && !remaining.contains(fresh[f]->key))
                run.push_back(std::move(fresh[f++]));
            const int count = int(run.size());
            insertChildren(parent, row, std::move(run));
            row += count;
            continue;
        }
        // The existing node for fresh[f] is further down: the rows before it moved; drop them and they come
        // back as new rows when their turn in the fresh list comes.
        int match = row;
        while (children[size_t(match)]->key != fresh[f]->key)
            ++match;
        for (int i = row; i < match; ++i)
            remaining.remove(children[size_t(i)]->key);
        removeChildren(parent, row, match - 1);
    }
    if (row < int(children.size()))
        removeChildren(parent, row, int(children.size()) - 1);
}

void TopicTreeModel::updateNode(Node *existing, std::unique_ptr<Node> fresh)
{
    const bool changed = existing->name != fresh->name || existing->persistent != fresh->persistent;
    existing->name = fresh->name;
    existing->persistent = fresh->persistent;
    if (changed) {
        const QModelIndex index = indexFor(existing);
        Q_EMIT dataChanged(index, index.siblingAtColumn(TypeColumn));
    }
    // Partitions come with their topic; tenants and namespaces keep their own children until reloaded.
    if (existing->kind == NodeKind::PartitionedTopic)
        mergeChildren(existing, std::move(fresh->children));
}

void TopicTreeModel::insertChildren(Node *parent, int row, NodeList nodes)
{
    if (nodes.empty())
        return;
    const int count = int(nodes.size());
    beginInsertRows(indexFor(parent), row, row + count - 1);
    for (auto &node : nodes)
        adopt(parent, node.get());
    parent->children.insert(parent->children.begin() + row, std::make_move_iterator(nodes.begin()),
                            std::make_move_iterator(nodes.end()));
    for (int i = row; i < int(parent->children.size()); ++i)
        parent->children[size_t(i)]->row = i;
    endInsertRows();
}

void TopicTreeModel::removeChildren(Node *parent, int first, int last)
{
    beginRemoveRows(indexFor(parent), first, last);
    for (int i = first; i <= last; ++i)
        forget(parent->children[size_t(i)].get());
    parent->children.erase(parent->children.begin() + first, parent->children.begin() + last + 1);
    for (int i = first; i < int(parent->children.size()); ++i)
        parent->children[size_t(i)]->row = i;
    endRemoveRows();
}

void TopicTreeModel::adopt(Node *parent, Node *node)
{
    node->parent = parent;
    node->id = m_nextId++;
    if (isLoadable(node))
        m_loadable.insert(node->id, node);
    for (int i = 0; i < int(node->children.size()); ++i) {
        node->children[size_t(i)]->row = i;
        adopt(node, node->children[size_t(i)].get());
    }
}

void TopicTreeModel::forget(Node *node)
{
    cancelCalls(node);
    m_loadable.remove(node->id);
    for (auto &child : node->children)
        forget(child.get());
}

} // namespace Gui
