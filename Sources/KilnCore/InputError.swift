/// An error caused by the input (a file, a folder, a request) rather than by Kiln.
///
/// Its description is one line naming the file and what is wrong; the CLI prints it and exits with
/// status 2.
public protocol InputError: Error, CustomStringConvertible {}

extension FileError: InputError {}
extension JSONError: InputError {}
