// Built-in manifest `reuse` (spec §7.2 non_separable_increasing_use; §8.4).
// Generated once from the reference's shell/ scripts (values read by hand; see the YAML comments).
enum ReuseManifest {
    static let yaml = """
    # Source: reference shell/non_separable_increasing_use/use_{1,2,4,6}.sh; spec §7.2 (ranges) and §8.4.
    # Reuse experiment (spec §8.4, row 'non_separable_increasing_use'): reuse-U = paper [4,1,2,U]
    # for U = 2, 4, 8, 12 (U = 16 is in 'exemplar'); widths 24/36/48 x 1-3 hidden layers.
    # lr, batch_size and epochs per architecture from the reference's
    # shell/non_separable_increasing_use/use_K.sh, K = U/2 (spec §7.2 gives only ranges).
    # 4 x 9 = 36 jobs.
    name: reuse
    seeds: [0, 1, 2, 5]
    unit_steps: [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    edge_steps: [2.5, 2.0, 1.5, 1.0, 0.5]
    accuracy_threshold: 100
    detection: {merge_threshold: 0.9, weak_modularity: 0.2}   # feature/test steps = depth L (spec §7.2)
    groups:
      # reuse-2: shell/non_separable_increasing_use/use_1.sh
      - tasks: [reuse-2]
        architectures:
          - {arch: [4, 24, 2], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 36, 2], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 2], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 2], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 36, 36, 2], lr: 0.05, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 48, 2], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 24, 24, 24, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 36, 36, 36, 2], lr: 0.05, batch_size: 8, epochs: 40}
          - {arch: [4, 48, 48, 48, 2], lr: 0.1, batch_size: 8, epochs: 30}
      # reuse-4: shell/non_separable_increasing_use/use_2.sh
      - tasks: [reuse-4]
        architectures:
          - {arch: [4, 24, 4], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 4], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 4], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 48, 4], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 24, 24, 24, 4], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 4], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 48, 48, 4], lr: 0.05, batch_size: 8, epochs: 40}
      # reuse-8: shell/non_separable_increasing_use/use_4.sh
      - tasks: [reuse-8]
        architectures:
          - {arch: [4, 24, 8], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 8], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 48, 8], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 8], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 36, 36, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 48, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 24, 24, 24, 8], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 8], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 48, 48, 48, 8], lr: 0.1, batch_size: 8, epochs: 30}
      # reuse-12: shell/non_separable_increasing_use/use_6.sh
      - tasks: [reuse-12]
        architectures:
          - {arch: [4, 24, 12], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 12], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 12], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 24, 24, 12], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 12], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 48, 12], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 24, 12], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 12], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 48, 12], lr: 0.1, batch_size: 8, epochs: 30}
    """
}
