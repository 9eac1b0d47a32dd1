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

        func run() {
            let families = TaskCatalog.families
            let width = families.map(\.pattern.count).max() ?? 0
            for f in families {
                print("\(f.pattern.padding(toLength: width, withPad: " ", startingAt: 0))  \(f.label)")
                print("\(String(repeating: " ", count: width))  \(f.summary)")
            }
            print("U is an even number ≥ 2 (the paper uses 2, 4, 8, 12, 16); O is 0…4. Example: sculpt tasks show overlap-2-8")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a task's function graph and truth table.")

        @Argument(help: "A built-in name (e.g. reuse-16), a paper label, or a task file.")
        var task: String

        @Flag(help: "Print one JSON document: {\"name\", \"inputs\", \"outputs\", \"rows\", \"graph\"} (docs/task-format.md).")
        var json = false

        func run() throws {
            let t = try TaskCatalog.load(task)
            if json {
                let data = try JSONSerialization.data(withJSONObject: t.jsonObject(), options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("task \(t.name): \(t.inputCount) inputs, \(t.outputCount) outputs, \(t.rowCount) rows")
            print(t.graph.description)
            print("")
            print("truth table (rows in counting order, x0 = most significant bit):")
            print(t.truthTableText)
        }
    }

    struct Source: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the task-format text of a built-in (a starting point for a custom task file).")

        @Argument(help: "A built-in name, e.g. hierarchy-8.")
        var task: String

        func run() throws { print(try TaskCatalog.source(ofBuiltin: task), terminator: "") }
    }
}
