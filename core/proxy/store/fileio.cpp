#include "fileio.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Proxy::FileIo {

QString describe(int err, const char *action, const QString &path)
{
    return QCoreApplication::translate("Proxy::MessageStore", "%1 while %2 %3")
        .arg(qt_error_string(err), QCoreApplication::translate("Proxy::MessageStore", action), path);
}

int openFile(const QString &path, int flags, int *err)
{
    const QByteArray native = QFile::encodeName(path);
    int fd;
    do {
        fd = ::open(native.constData(), flags | O_CLOEXEC, 0644);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && err)
        *err = errno;
    return fd;
}

void closeFile(int fd)
{
    if (fd >= 0)
        ::close(fd);
}

bool writeAt(int fd, const char *data, qint64 size, qint64 offset, int *err)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, static_cast<size_t>(size), static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return false;
        }
        if (n == 0) {
            *err = EIO;
            return false;
        }
        data += n;
        size -= n;
        offset += n;
    }
    return true;
}

qint64 readAt(int fd, char *data, qint64 size, qint64 offset, int *err)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, data + done, static_cast<size_t>(size - done), static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (err)
                *err = errno;
            return -1;
        }
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

bool syncData(int fd, int *err)
{
    int rc;
    do {
        rc = ::fdatasync(fd);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0 && err)
        *err = errno;
    return rc == 0;
}

bool syncDirectory(const QString &dir, int *err)
{
    const int fd = openFile(dir, O_RDONLY | O_DIRECTORY, err);
    if (fd < 0)
        return false;
    int rc;
    do {
        rc = ::fsync(fd);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0 && err)
        *err = errno;
    ::close(fd);
    return rc == 0;
}

bool preallocate(int fd, qint64 size, int *err)
{
    const int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
    if (rc != 0 && err)
        *err = rc;
    return rc == 0;
}

bool truncateFile(int fd, qint64 size, int *err)
{
    int rc;
    do {
        rc = ::ftruncate(fd, static_cast<off_t>(size));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0 && err)
        *err = errno;
    return rc == 0;
}

qint64 fileSize(int fd)
{
    struct stat st;
    if (::fstat(fd, &st) != 0)
        return -1;
    return st.st_size;
}

bool writeFileAtomic(const QString &path, const QByteArray &bytes, QString *error)
{
    const QString tmp = path + QStringLiteral(".tmp");
    int err = 0;
    const int fd = openFile(tmp, O_WRONLY | O_CREAT | O_TRUNC, &err);
    if (fd < 0) {
        if (error)
            *error = describe(err, QT_TRANSLATE_NOOP("Proxy::MessageStore", "creating"), tmp);
        return false;
    }
    bool ok = writeAt(fd, bytes.constData(), bytes.size(), 0, &err);
    if (ok)
        ok = syncData(fd, &err);
    ::close(fd);
    if (!ok) {
        if (error)
            *error = describe(err, QT_TRANSLATE_NOOP("Proxy::MessageStore", "writing"), tmp);
        removeFile(tmp);
        return false;
    }
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) != 0) {
        err = errno;
        if (error)
            *error = describe(err, QT_TRANSLATE_NOOP("Proxy::MessageStore", "renaming"), tmp);
        removeFile(tmp);
        return false;
    }
    // The rename is atomic without this; the directory sync makes it durable across a power cut.
    if (!syncDirectory(QFileInfo(path).absolutePath(), &err)) {
        if (error)
            *error = describe(err, QT_TRANSLATE_NOOP("Proxy::MessageStore", "syncing the directory of"), path);
        return false;
    }
    return true;
}

QByteArray readWholeFile(const QString &path, bool *ok)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *ok = false;
        return {};
    }
    *ok = true;
    return f.readAll();
}

bool removeFile(const QString &path)
{
    return ::unlink(QFile::encodeName(path).constData()) == 0 || errno == ENOENT;
}

} // namespace Proxy::FileIo
