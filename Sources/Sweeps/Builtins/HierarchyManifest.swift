// Built-in manifest `hierarchy` (spec §7.2 increasing_hierarchical_levels; §8.4).
// Generated once from the reference's shell/ scripts (values read by hand; see the YAML comments).
enum HierarchyManifest {
    static let yaml = """
    # Source: reference shell/increasing_hierarchical_levels/depth_{3,4,5,6}.sh; spec §7.2 (ranges) and §8.4.
    # Hierarchy experiment (spec §8.4, row 'increasing_hierarchical_levels'): hierarchy-U = paper
    # [8,2,1,2,U] for U = 2, 4, 8, 12, 16 (the paper's plots use U = 4..16; the scripts also run 2);
    # widths 36/48/60 x 1-4 hidden layers. lr, batch_size and epochs per architecture from the
    # reference's shell/increasing_hierarchical_levels/depth_D.sh, D = hidden layers + 2:
    # depth_3.sh (1 hidden layer), depth_4.sh (2), depth_5.sh (3), depth_6.sh (4); spec §7.2 gives
    # only ranges. Stored versions read: depth_4.sh at commit 0fbcd74, depth_5.sh at c2102f5.
    # 5 x 12 = 60 jobs.
    name: hierarchy
    seeds: [0, 1, 2, 5]
    unit_steps: [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    edge_steps: [2.5, 2.0, 1.5, 1.0, 0.5]
    accuracy_threshold: 100
    detection: {merge_threshold: 0.9, weak_modularity: 0.2}   # feature/test steps = depth L (spec §7.2)
    groups:
      # hierarchy-2 = paper [8,2,1,2,2]; rows of 1, 2, 3, 4 hidden layers from depth_3..depth_6.sh
      - tasks: [hierarchy-2]
        architectures:
          - {arch: [8, 36, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 2], lr: 0.1, batch_size: 64, epochs: 40}
          - {arch: [8, 48, 48, 2], lr: 0.1, batch_size: 64, epochs: 40}
          - {arch: [8, 60, 60, 2], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 36, 36, 36, 2], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [8, 48, 48, 48, 2], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [8, 60, 60, 60, 2], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 36, 36, 36, 36, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 48, 48, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 60, 60, 60, 2], lr: 0.05, batch_size: 64, epochs: 40}
      # hierarchy-4 = paper [8,2,1,2,4]; rows of 1, 2, 3, 4 hidden layers from depth_3..depth_6.sh
      - tasks: [hierarchy-4]
        architectures:
          - {arch: [8, 36, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 4], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 48, 48, 4], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 60, 60, 4], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 36, 36, 36, 4], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [8, 48, 48, 48, 4], lr: 0.1, batch_size: 128, epochs: 40}
          - {arch: [8, 60, 60, 60, 4], lr: 0.05, batch_size: 128, epochs: 20}
          - {arch: [8, 36, 36, 36, 36, 4], lr: 0.05, batch_size: 64, epochs: 30}
          - {arch: [8, 48, 48, 48, 48, 4], lr: 0.05, batch_size: 128, epochs: 40}
          - {arch: [8, 60, 60, 60, 60, 4], lr: 0.05, batch_size: 128, epochs: 40}
      # hierarchy-8 = paper [8,2,1,2,8]; rows of 1, 2, 3, 4 hidden layers from depth_3..depth_6.sh
      - tasks: [hierarchy-8]
        architectures:
          - {arch: [8, 36, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 8], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 8], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 60, 60, 8], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 36, 36, 36, 8], lr: 0.1, batch_size: 128, epochs: 80}
          - {arch: [8, 48, 48, 48, 8], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [8, 60, 60, 60, 8], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [8, 36, 36, 36, 36, 8], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 48, 48, 8], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 60, 60, 60, 60, 8], lr: 0.05, batch_size: 16, epochs: 40}
      # hierarchy-12 = paper [8,2,1,2,12]; rows of 1, 2, 3, 4 hidden layers from depth_3..depth_6.sh
      - tasks: [hierarchy-12]
        architectures:
          - {arch: [8, 36, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 12], lr: 0.1, batch_size: 64, epochs: 20}
          - {arch: [8, 48, 48, 12], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [8, 60, 60, 12], lr: 0.05, batch_size: 32, epochs: 20}
          - {arch: [8, 36, 36, 36, 12], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 48, 48, 48, 12], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [8, 60, 60, 60, 12], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [8, 36, 36, 36, 36, 12], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 48, 48, 48, 48, 12], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 60, 60, 60, 60, 12], lr: 0.05, batch_size: 64, epochs: 30}
      # hierarchy-16 = paper [8,2,1,2,16]; rows of 1, 2, 3, 4 hidden layers from depth_3..depth_6.sh
      - tasks: [hierarchy-16]
        architectures:
          - {arch: [8, 36, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 60, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 16], lr: 0.1, batch_size: 64, epochs: 40}
          - {arch: [8, 48, 48, 16], lr: 0.05, batch_size: 64, epochs: 15}
          - {arch: [8, 60, 60, 16], lr: 0.05, batch_size: 64, epochs: 15}
          - {arch: [8, 36, 36, 36, 16], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 48, 48, 48, 16], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [8, 60, 60, 60, 16], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 36, 36, 16], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 48, 48, 48, 48, 16], lr: 0.05, batch_size: 32, epochs: 30}
          - {arch: [8, 60, 60, 60, 60, 16], lr: 0.05, batch_size: 32, epochs: 30}
    """
}
