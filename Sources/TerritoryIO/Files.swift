import Foundation
import TerritoryCore

/// Reading and writing files with errors that name the file, and writes that never leave a
/// partial file behind.
public enum Files {
    /// The bytes of `path`. Throws a one-line ``InputError`` when the path is missing, is a
    /// directory, cannot be read or is empty.
    public static func read(_ path: String) throws(InputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, "is a directory, expected a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw InputError(file: path, "cannot be read: \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw InputError(file: path, "the file is empty") }
        return [UInt8](data)
    }

    /// Writes `bytes` to `path` atomically: into a temporary file in the same directory, then
    /// renamed over `path`, so readers never see a partial file and a failure leaves `path`
    /// untouched.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(InputError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: path, "is a directory; cannot write the output there")
        }
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: path, "the directory \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, "cannot write: \(error.localizedDescription)")
        }
        if rename(temporary.path, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, "cannot write: \(reason)")
        }
    }

    /// Writes a string atomically (UTF-8).
    public static func writeAtomically(_ text: String, to path: String) throws(InputError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// Whether a regular file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The last path component without its extension (`datasets/pmed1.txt` → `pmed1`).
    public static func baseName(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// `path`'s sibling named `name`.
    public static func sibling(of path: String, named name: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
