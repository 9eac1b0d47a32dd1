import ArgumentParser
import Foundation
import Tasks

/// `sculpt tasks`: the built-in Boolean tasks, and any task's function graph and truth table.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List the built-in Boolean tasks, or show a task's function graph and truth table.",
        discussion: "Wherever a command takes --task, it accepts a built-in name, a paper label such as [4,1,2,16], or a task file (docs/task-format.md).",
        subcommands: [List.self, Show.self, Source.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per built-in family (name pattern, paper label, definition).")

        func run() { print(TaskCatalog.listing) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a task's function graph and truth table.")

        @Argument(help: "A built-in name (e.g. reuse-16), a paper label, or a task file.")
        var task: String

        @Flag(help: "Print one JSON document: {\"name\", \"inputs\", \"outputs\", \"rows\", \"graph\"} (docs/task-format.md).")
        var json = false

        func run() throws {
            let t = try TaskCatalog.load(task)
            print(json ? String(decoding: try JSONSerialization.data(withJSONObject: t.jsonObject(), options: [.sortedKeys]), as: UTF8.self) : t.text)
        }
    }

    struct Source: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the task-format text of a built-in (a starting point for a custom task file).")

        @Argument(help: "A built-in name, e.g. hierarchy-8.")
        var task: String

        func run() throws { print(try TaskCatalog.source(ofBuiltin: task), terminator: "") }
    }
}
