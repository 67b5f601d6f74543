#include "topictree.h"

#include <QHash>

#include <algorithm>

namespace Pulsar {

QList<TopicTreeEntry> groupTopics(const QStringList &topics, const QStringList &partitionedTopics)
{
    QList<TopicTreeEntry> entries;
    QHash<QString, qsizetype> index; // base full name -> entry
    const auto entryFor = [&](const TopicName &name) -> TopicTreeEntry & {
        const QString key = name.toString();
        const auto it = index.constFind(key);
        if (it != index.cend())
            return entries[*it];
        index.insert(key, entries.size());
        entries.append(TopicTreeEntry{name, false, {}});
        return entries.last();
    };
    for (const QString &text : partitionedTopics) {
        const auto name = TopicName::parse(text);
        if (name)
            entryFor(*name).partitioned = true;
    }
    for (const QString &text : topics) {
        const auto name = TopicName::parse(text);
        if (!name)
            continue;
        if (!name->isPartitioned()) {
            entryFor(*name);
            continue;
        }
        const auto base = TopicName::parse(name->partitionedTopicName());
        if (!base)
            continue;
        TopicTreeEntry &entry = entryFor(*base);
        entry.partitioned = true;
        if (!entry.partitions.contains(*name))
            entry.partitions.append(*name);
    }
    for (TopicTreeEntry &entry : entries) {
        std::sort(entry.partitions.begin(), entry.partitions.end(),
                  [](const TopicName &a, const TopicName &b) { return a.partitionIndex() < b.partitionIndex(); });
    }
    std::sort(entries.begin(), entries.end(), [](const TopicTreeEntry &a, const TopicTreeEntry &b) {
        if (a.isPersistent() != b.isPersistent())
            return a.isPersistent();
        return a.topic.toString() < b.topic.toString();
    });
    return entries;
}

} // namespace Pulsar
