// Built-in manifest `overlap` (spec §7.2 input_overlap_exp; §8.4).
// Generated once from the reference's shell/ scripts (values read by hand; see the YAML comments).
enum OverlapManifest {
    static let yaml = """
    # Source: reference shell/input_overlap_exp/overlap_O_use_K.sh; spec §7.2 (ranges) and §8.4.
    # Overlap experiment (spec §8.4, row 'input_overlap_exp'): overlap-O-U for overlap O = 0..4
    # (paper [8,2,U], [7,3,2,U], [6,3,2,U], [5,3,2,U], [4,1,2,2,U]) and U = 2, 4, 8, 12, 16;
    # widths 24/36/48 x 1-3 hidden layers. lr, batch_size and epochs per architecture from the
    # reference's shell/input_overlap_exp/overlap_O_use_K.sh, K = U/2 (spec §7.2 gives only ranges).
    # 5 x 5 x 9 = 225 jobs.
    name: overlap
    seeds: [0, 1, 2, 5]
    unit_steps: [70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    edge_steps: [2.5, 2.0, 1.5, 1.0, 0.5]
    accuracy_threshold: 100
    detection: {merge_threshold: 0.9, weak_modularity: 0.2}   # feature/test steps = depth L (spec §7.2)
    groups:
      # overlap-0-2 = paper [8,2,2]: shell/input_overlap_exp/overlap_0_use_1.sh
      - tasks: [overlap-0-2]
        architectures:
          - {arch: [8, 24, 2], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [8, 36, 2], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 48, 2], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 24, 24, 2], lr: 0.1, batch_size: 32, epochs: 50}
          - {arch: [8, 36, 36, 2], lr: 0.1, batch_size: 32, epochs: 50}
          - {arch: [8, 48, 48, 2], lr: 0.1, batch_size: 32, epochs: 50}
          - {arch: [8, 24, 24, 24, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 36, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 48, 2], lr: 0.05, batch_size: 32, epochs: 40}
      # overlap-0-4 = paper [8,2,4]: shell/input_overlap_exp/overlap_0_use_2.sh
      - tasks: [overlap-0-4]
        architectures:
          - {arch: [8, 24, 4], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 36, 4], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 48, 4], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 24, 24, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 24, 24, 24, 4], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 36, 4], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 48, 4], lr: 0.05, batch_size: 32, epochs: 40}
      # overlap-0-8 = paper [8,2,8]: shell/input_overlap_exp/overlap_0_use_4.sh
      - tasks: [overlap-0-8]
        architectures:
          - {arch: [8, 24, 8], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 36, 8], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 48, 8], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 24, 24, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 24, 24, 24, 8], lr: 0.05, batch_size: 64, epochs: 30}
          - {arch: [8, 36, 36, 36, 8], lr: 0.05, batch_size: 64, epochs: 30}
          - {arch: [8, 48, 48, 48, 8], lr: 0.05, batch_size: 64, epochs: 30}
      # overlap-0-12 = paper [8,2,12]: shell/input_overlap_exp/overlap_0_use_6.sh
      - tasks: [overlap-0-12]
        architectures:
          - {arch: [8, 24, 12], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [8, 36, 12], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 48, 12], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 24, 24, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 24, 24, 24, 12], lr: 0.05, batch_size: 64, epochs: 30}
          - {arch: [8, 36, 36, 36, 12], lr: 0.05, batch_size: 64, epochs: 30}
          - {arch: [8, 48, 48, 48, 12], lr: 0.05, batch_size: 64, epochs: 30}
      # overlap-0-16 = paper [8,2,16]: shell/input_overlap_exp/overlap_0_use_8.sh
      - tasks: [overlap-0-16]
        architectures:
          - {arch: [8, 24, 16], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 36, 16], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 48, 16], lr: 0.1, batch_size: 32, epochs: 15}
          - {arch: [8, 24, 24, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 36, 36, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 48, 48, 16], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [8, 24, 24, 24, 16], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 36, 36, 36, 16], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [8, 48, 48, 48, 16], lr: 0.05, batch_size: 64, epochs: 40}
      # overlap-1-2 = paper [7,3,2,2]: shell/input_overlap_exp/overlap_1_use_1.sh
      - tasks: [overlap-1-2]
        architectures:
          - {arch: [7, 24, 2], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [7, 36, 2], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [7, 48, 2], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [7, 24, 24, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [7, 36, 36, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [7, 48, 48, 2], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 24, 24, 24, 2], lr: 0.05, batch_size: 16, epochs: 60}
          - {arch: [7, 36, 36, 36, 2], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [7, 48, 48, 48, 2], lr: 0.05, batch_size: 16, epochs: 40}
      # overlap-1-4 = paper [7,3,2,4]: shell/input_overlap_exp/overlap_1_use_2.sh
      - tasks: [overlap-1-4]
        architectures:
          - {arch: [7, 24, 4], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 36, 4], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 48, 4], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 24, 24, 4], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [7, 36, 36, 4], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 48, 48, 4], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 24, 24, 24, 4], lr: 0.1, batch_size: 64, epochs: 60}
          - {arch: [7, 36, 36, 36, 4], lr: 0.1, batch_size: 64, epochs: 60}
          - {arch: [7, 48, 48, 48, 4], lr: 0.1, batch_size: 64, epochs: 60}
      # overlap-1-8 = paper [7,3,2,8]: shell/input_overlap_exp/overlap_1_use_4.sh
      - tasks: [overlap-1-8]
        architectures:
          - {arch: [7, 24, 8], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 36, 8], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 48, 8], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 24, 24, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [7, 36, 36, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [7, 48, 48, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [7, 24, 24, 24, 8], lr: 0.1, batch_size: 64, epochs: 40}
          - {arch: [7, 36, 36, 36, 8], lr: 0.1, batch_size: 64, epochs: 40}
          - {arch: [7, 48, 48, 48, 8], lr: 0.1, batch_size: 64, epochs: 40}
      # overlap-1-12 = paper [7,3,2,12]: shell/input_overlap_exp/overlap_1_use_6.sh
      - tasks: [overlap-1-12]
        architectures:
          - {arch: [7, 24, 12], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 36, 12], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 48, 12], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 24, 24, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [7, 36, 36, 12], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 48, 48, 12], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 24, 24, 24, 12], lr: 0.1, batch_size: 64, epochs: 60}
          - {arch: [7, 36, 36, 36, 12], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [7, 48, 48, 48, 12], lr: 0.05, batch_size: 64, epochs: 40}
      # overlap-1-16 = paper [7,3,2,16]: shell/input_overlap_exp/overlap_1_use_8.sh
      - tasks: [overlap-1-16]
        architectures:
          - {arch: [7, 24, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 36, 16], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 48, 16], lr: 0.1, batch_size: 32, epochs: 20}
          - {arch: [7, 24, 24, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 36, 36, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 48, 48, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [7, 24, 24, 24, 16], lr: 0.05, batch_size: 64, epochs: 60}
          - {arch: [7, 36, 36, 36, 16], lr: 0.05, batch_size: 64, epochs: 40}
          - {arch: [7, 48, 48, 48, 16], lr: 0.05, batch_size: 64, epochs: 40}
      # overlap-2-2 = paper [6,3,2,2]: shell/input_overlap_exp/overlap_2_use_1.sh
      - tasks: [overlap-2-2]
        architectures:
          - {arch: [6, 24, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [6, 36, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [6, 48, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [6, 24, 24, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 36, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 48, 2], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 24, 24, 24, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 36, 36, 2], lr: 0.05, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 48, 48, 2], lr: 0.05, batch_size: 32, epochs: 40}
      # overlap-2-4 = paper [6,3,2,4]: shell/input_overlap_exp/overlap_2_use_2.sh (commit c2102f5)
      - tasks: [overlap-2-4]
        architectures:
          - {arch: [6, 24, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 24, 24, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 36, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 48, 4], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 24, 24, 24, 4], lr: 0.05, batch_size: 32, epochs: 60}
          - {arch: [6, 36, 36, 36, 4], lr: 0.05, batch_size: 32, epochs: 60}
          - {arch: [6, 48, 48, 48, 4], lr: 0.05, batch_size: 32, epochs: 60}
      # overlap-2-8 = paper [6,3,2,8]: shell/input_overlap_exp/overlap_2_use_4.sh
      - tasks: [overlap-2-8]
        architectures:
          - {arch: [6, 24, 8], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 36, 8], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 48, 8], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 24, 24, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 36, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 48, 8], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 24, 24, 24, 8], lr: 0.05, batch_size: 32, epochs: 60}
          - {arch: [6, 36, 36, 36, 8], lr: 0.05, batch_size: 32, epochs: 60}
          - {arch: [6, 48, 48, 48, 8], lr: 0.05, batch_size: 32, epochs: 60}
      # overlap-2-12 = paper [6,3,2,12]: shell/input_overlap_exp/overlap_2_use_6.sh
      - tasks: [overlap-2-12]
        architectures:
          - {arch: [6, 24, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 36, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 48, 12], lr: 0.1, batch_size: 32, epochs: 40}
          - {arch: [6, 24, 24, 12], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 36, 36, 12], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 48, 48, 12], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 24, 24, 24, 12], lr: 0.05, batch_size: 32, epochs: 80}
          - {arch: [6, 36, 36, 36, 12], lr: 0.05, batch_size: 32, epochs: 60}
          - {arch: [6, 48, 48, 48, 12], lr: 0.05, batch_size: 32, epochs: 60}
      # overlap-2-16 = paper [6,3,2,16]: shell/input_overlap_exp/overlap_2_use_8.sh
      - tasks: [overlap-2-16]
        architectures:
          - {arch: [6, 24, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 36, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 48, 16], lr: 0.1, batch_size: 32, epochs: 30}
          - {arch: [6, 24, 24, 16], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 36, 36, 16], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 48, 48, 16], lr: 0.1, batch_size: 32, epochs: 60}
          - {arch: [6, 24, 24, 24, 16], lr: 0.05, batch_size: 32, epochs: 120}
          - {arch: [6, 36, 36, 36, 16], lr: 0.05, batch_size: 32, epochs: 50}
          - {arch: [6, 48, 48, 48, 16], lr: 0.05, batch_size: 64, epochs: 60}
      # overlap-3-2 = paper [5,3,2,2]: shell/input_overlap_exp/overlap_3_use_1.sh
      - tasks: [overlap-3-2]
        architectures:
          - {arch: [5, 24, 2], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [5, 36, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 36, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 48, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 24, 2], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 36, 36, 2], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 48, 48, 2], lr: 0.1, batch_size: 16, epochs: 60}
      # overlap-3-4 = paper [5,3,2,4]: shell/input_overlap_exp/overlap_3_use_2.sh
      - tasks: [overlap-3-4]
        architectures:
          - {arch: [5, 24, 4], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 36, 4], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [5, 48, 4], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 4], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 36, 36, 4], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 48, 4], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [5, 24, 24, 24, 4], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [5, 36, 36, 36, 4], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [5, 48, 48, 48, 4], lr: 0.05, batch_size: 16, epochs: 40}
      # overlap-3-8 = paper [5,3,2,8]: shell/input_overlap_exp/overlap_3_use_4.sh
      - tasks: [overlap-3-8]
        architectures:
          - {arch: [5, 24, 8], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 8], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 8], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 8], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 36, 36, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 48, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 24, 8], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 36, 36, 8], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [5, 48, 48, 48, 8], lr: 0.1, batch_size: 16, epochs: 40}
      # overlap-3-12 = paper [5,3,2,12]: shell/input_overlap_exp/overlap_3_use_6.sh
      - tasks: [overlap-3-12]
        architectures:
          - {arch: [5, 24, 12], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 36, 12], lr: 0.05, batch_size: 8, epochs: 30}
          - {arch: [5, 48, 12], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 12], lr: 0.05, batch_size: 8, epochs: 30}
          - {arch: [5, 36, 36, 12], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [5, 48, 48, 12], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 24, 12], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 36, 36, 12], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 48, 48, 12], lr: 0.05, batch_size: 16, epochs: 30}
      # overlap-3-16 = paper [5,3,2,16]: shell/input_overlap_exp/overlap_3_use_8.sh (commit b88a915)
      - tasks: [overlap-3-16]
        architectures:
          - {arch: [5, 24, 16], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 36, 16], lr: 0.05, batch_size: 16, epochs: 20}
          - {arch: [5, 48, 16], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [5, 24, 24, 16], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [5, 36, 36, 16], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [5, 48, 48, 16], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [5, 24, 24, 24, 16], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [5, 36, 36, 36, 16], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [5, 48, 48, 48, 16], lr: 0.1, batch_size: 16, epochs: 60}
      # overlap-4-2 = paper [4,1,2,2,2]: shell/input_overlap_exp/overlap_4_use_1.sh
      - tasks: [overlap-4-2]
        architectures:
          - {arch: [4, 24, 2], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 36, 2], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 2], lr: 0.05, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 2], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 36, 36, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 2], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [4, 24, 24, 24, 2], lr: 0.05, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 2], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 48, 2], lr: 0.1, batch_size: 16, epochs: 20}
      # overlap-4-4 = paper [4,1,2,2,4]: shell/input_overlap_exp/overlap_4_use_2.sh
      - tasks: [overlap-4-4]
        architectures:
          - {arch: [4, 24, 4], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [4, 36, 4], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [4, 48, 4], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [4, 24, 24, 4], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [4, 36, 36, 4], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 48, 4], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 24, 24, 24, 4], lr: 0.05, batch_size: 16, epochs: 40}
          - {arch: [4, 36, 36, 36, 4], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 48, 4], lr: 0.1, batch_size: 16, epochs: 20}
      # overlap-4-8 = paper [4,1,2,2,8]: shell/input_overlap_exp/overlap_4_use_4.sh
      - tasks: [overlap-4-8]
        architectures:
          - {arch: [4, 24, 8], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 36, 8], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 8], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 24, 24, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 36, 36, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 48, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 24, 24, 24, 8], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 36, 36, 36, 8], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 48, 8], lr: 0.1, batch_size: 16, epochs: 30}
      # overlap-4-12 = paper [4,1,2,2,12]: shell/input_overlap_exp/overlap_4_use_6.sh
      - tasks: [overlap-4-12]
        architectures:
          - {arch: [4, 24, 12], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 36, 12], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 12], lr: 0.1, batch_size: 8, epochs: 20}
          - {arch: [4, 24, 24, 12], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 36, 36, 12], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 48, 48, 12], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 24, 24, 24, 12], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 12], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [4, 48, 48, 48, 12], lr: 0.1, batch_size: 16, epochs: 20}
      # overlap-4-16 = paper [4,1,2,2,16]: shell/input_overlap_exp/overlap_4_use_8.sh
      - tasks: [overlap-4-16]
        architectures:
          - {arch: [4, 24, 16], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 36, 16], lr: 0.1, batch_size: 8, epochs: 30}
          - {arch: [4, 48, 16], lr: 0.1, batch_size: 16, epochs: 30}
          - {arch: [4, 24, 24, 16], lr: 0.1, batch_size: 8, epochs: 15}
          - {arch: [4, 36, 36, 16], lr: 0.1, batch_size: 16, epochs: 40}
          - {arch: [4, 48, 48, 16], lr: 0.1, batch_size: 16, epochs: 20}
          - {arch: [4, 24, 24, 24, 16], lr: 0.1, batch_size: 8, epochs: 40}
          - {arch: [4, 36, 36, 36, 16], lr: 0.05, batch_size: 16, epochs: 30}
          - {arch: [4, 48, 48, 48, 16], lr: 0.1, batch_size: 8, epochs: 30}
    """
}
