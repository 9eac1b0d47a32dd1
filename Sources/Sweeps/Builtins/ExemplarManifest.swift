// Built-in manifest `exemplar` (spec §7.2, exemplar tables; §8.4).
// Generated once from the reference's shell/ scripts (values read by hand; see the YAML comments).
enum ExemplarManifest {
    static let yaml = """
    # Source: spec §7.2 exemplar tables = reference shell/exemplars/*.sh; spec §8.4 row 'exemplar'.
    # Exemplar experiment (spec §8.4, row 'exemplar'): the four exemplar tasks, each with its own
    # architecture table; lr, batch_size and epochs are spec §7.2's tables, which restate the
    # reference's shell/exemplars/*.sh (named per group). 9 + 9 + 9 + 13 = 40 jobs.
    name: exemplar
    seeds: [0, 1, 2, 5]
    unit_steps: [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    edge_steps: [2.5, 2.0, 1.5, 1.0, 0.5]
    accuracy_threshold: 100
    detection: {merge_threshold: 0.9, weak_modularity: 0.2}   # feature/test steps = depth L (spec §7.2)
    groups:
      # xor-pairs = paper [4,2,4]: spec §7.2 table '[4,2,4]', from shell/exemplars/input_separable.sh
      - tasks: [xor-pairs]
        architectures:
          - {arch: [4, 24, 4], lr: 0.05, batch_size: 8, epochs: 15}
          - {arch: [4, 36, 4], lr: 0.05, batch_size: 8, epochs: 15}
          - {arch: [4, 48, 4], lr: 0.05, batch_size: 8, epochs: 15}
          - {arch: [4, 24, 24, 4], lr: 0.05, batch_size: 8, epochs: 10}
          - {arch: [4, 36, 36, 4], lr: 0.05, batch_size: 8, epochs: 10}
          - {arch: [4, 48, 48, 4], lr: 0.05, batch_size: 8, epochs: 10}
          - {arch: [4, 24, 24, 24, 4], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [4, 36, 36, 36, 4], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 48, 48, 4], lr: 0.05, batch_size: 8, epochs: 20}
      # non-modular = paper [4,1,4]: spec §7.2 table '[4,1,4]', from shell/exemplars/non_modular.sh
      - tasks: [non-modular]
        architectures:
          - {arch: [4, 24, 4], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 4], lr: 0.05, batch_size: 8, epochs: 30}
          - {arch: [4, 36, 36, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 48, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 24, 4], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 36, 36, 36, 4], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 48, 48, 4], lr: 0.1, batch_size: 8, epochs: 30}
      # and-or = paper [6,3,3,3]: spec §7.2 table '[6,3,3,3]', from shell/exemplars/input_separable_reused.sh
      - tasks: [and-or]
        architectures:
          - {arch: [6, 24, 3], lr: 0.05, batch_size: 32, epochs: 15}
          - {arch: [6, 36, 3], lr: 0.05, batch_size: 32, epochs: 15}
          - {arch: [6, 48, 3], lr: 0.05, batch_size: 32, epochs: 15}
          - {arch: [6, 24, 24, 3], lr: 0.05, batch_size: 32, epochs: 10}
          - {arch: [6, 36, 36, 3], lr: 0.05, batch_size: 32, epochs: 10}
          - {arch: [6, 48, 48, 3], lr: 0.05, batch_size: 32, epochs: 10}
          - {arch: [6, 24, 24, 24, 3], lr: 0.05, batch_size: 32, epochs: 15}
          - {arch: [6, 36, 36, 36, 3], lr: 0.05, batch_size: 32, epochs: 15}
          - {arch: [6, 48, 48, 48, 3], lr: 0.05, batch_size: 32, epochs: 15}
      # reuse-16 = paper [4,1,2,16]: spec §7.2 table '[4,1,2,16]', from shell/exemplars/reused.sh
      - tasks: [reuse-16]
        architectures:
          - {arch: [4, 24, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 16], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 16], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 8, 8, 16], lr: 0.1, batch_size: 16, epochs: 120}
          - {arch: [4, 12, 12, 16], lr: 0.1, batch_size: 8, epochs: 60}
          - {arch: [4, 16, 16, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 20, 20, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 24, 24, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 16], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 48, 16], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 24, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 16], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 48, 48, 16], lr: 0.1, batch_size: 16, epochs: 30}
    """
}
