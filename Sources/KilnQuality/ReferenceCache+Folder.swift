import Foundation

/// Where `kiln verify` keeps reference passes when no `--reference-cache` is given, and how their files
/// are named, so `kiln cache` can list and remove exactly those files.
extension ReferenceCache {
    /// `$XDG_CACHE_HOME/kiln`, else `~/.cache/kiln`.
    public static var defaultFolder: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/kiln"
    }

    static let fileNamePrefix = "reference-"
    static let fileExtension = "kref"

    /// The reference files in `folder` (default: ``defaultFolder``) with their sizes, by name; a missing
    /// folder holds none.
    public static func files(in folder: String = defaultFolder) -> [(path: String, bytes: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(fileNamePrefix) && $0.hasSuffix("." + fileExtension) }.sorted().compactMap { name in
            let path = folder + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
            return (path, (attributes[.size] as? Int) ?? 0)
        }
    }
}
