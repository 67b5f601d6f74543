#include "topicfiltermodel.h"

#include "topictreemodel.h"

namespace Gui {

TopicFilterModel::TopicFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Parents of a match stay (recursive), and a matching partitioned topic keeps its partitions.
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
    setDynamicSortFilter(false);
}

void TopicFilterModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool TopicFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto kind = TopicTreeModel::NodeKind(index.data(TopicTreeModel::NodeKindRole).toInt());
    switch (kind) {
    case TopicTreeModel::NodeKind::Topic:
    case TopicTreeModel::NodeKind::PartitionedTopic:
    case TopicTreeModel::NodeKind::Partition:
        return index.data(TopicTreeModel::TopicNameRole).toString().contains(m_text, Qt::CaseInsensitive);
    default:
        // Tenants and namespaces show only through a matching descendant; placeholders hide while filtering.
        return false;
    }
}

} // namespace Gui
