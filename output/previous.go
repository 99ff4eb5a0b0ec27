package output

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Previous is what summary.json says about the run a folder holds.
type Previous struct {
	Name    string  `json:"name"`
	Source  *Source `json:"network_file"` // nil when an older spinnsim wrote it
	Partial bool    `json:"partial"`
}

// ReadPrevious reads the summary.json of the run held in dir. It returns an
// error satisfying errors.Is(err, fs.ErrNotExist) when dir holds no
// summary.json (or does not exist), and an error naming the file when it
// cannot be read or is not a summary.
func ReadPrevious(dir string) (*Previous, error) {
	path := filepath.Join(dir, SummaryFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Previous
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: not a spinnsim summary: %w", path, err)
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%s: not a spinnsim summary: no name", path)
	}
	return &p, nil
}
