import AppConfiguration
import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTLS
import LocalEntra
import Logging
import NIOSSL

/// `serve --tls`: the development CA and server certificate made or reused, as the TLS
/// configuration of Hummingbird's TLS server (swift-nio-ssl).
enum DevelopmentTLSServer {
    /// The server's TLS configuration; a state folder that cannot hold the certificates ends
    /// the program with status 2, naming the file.
    static func configuration(stateFolder: String, logger: Logger) throws -> TLSConfiguration {
        let files = DevelopmentTLS(stateFolder: URL(fileURLWithPath: stateFolder))
        do {
            let outcome = try files.prepare()
            if outcome.createdAuthority {
                logger.notice("Created a development CA: trust \(files.authorityCertificate.path) once (README, HTTPS)")
            }
            if outcome.createdServerCertificate { logger.info("Made a server certificate for localhost, 127.0.0.1 and ::1") }
            let chain = try NIOSSLCertificate.fromPEMFile(files.serverCertificate.path).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.serverKey.path, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            logger.info("HTTPS with the development CA \(files.authorityCertificate.path)")
            return configuration
        } catch let error as DevelopmentTLSError {
            FileHandle.standardError.write(Data("local-entra: --tls: \(error)\n".utf8))
            throw ExitCode(ConfigurationError.exitStatus)
        } catch {
            FileHandle.standardError.write(
                Data("local-entra: --tls: the certificates in \(files.folder.path) cannot be used: \(error)\n".utf8)
            )
            throw ExitCode(ConfigurationError.exitStatus)
        }
    }
}

extension LocalEntraCommand {
    struct CertificateAuthority: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ca",
            abstract: "Print the path of the development CA certificate that serve --tls uses, making the CA when missing."
        )

        @Option(help: "Folder for signing keys, grants and the development CA.")
        var state: String = "data/local-entra"

        func run() throws {
            let files = DevelopmentTLS(stateFolder: URL(fileURLWithPath: state))
            do {
                if try files.prepareAuthority() {
                    FileHandle.standardError.write(
                        Data("local-entra: created a development CA; trust it once, serve --tls signs its certificate with it\n".utf8)
                    )
                }
            } catch {
                FileHandle.standardError.write(Data("local-entra: ca: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print(files.authorityCertificate.path)
        }
    }
}
