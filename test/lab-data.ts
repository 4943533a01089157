import { seededUniform } from '../src/modules/lab/dp.js';

/**
 * Patients with a planted relationship (the same one the demo documents): the log-odds of a type 2
 * diabetes diagnosis (E11) rise by 0.04 a year of age and by 0.9 a point of HbA1c, and systolic blood
 * pressure rises by 0.6 mmHg a year of age (noise sd 8).
 */
export function plantedPatientsCsv(n: number): string {
  const uniform = seededUniform(4242);
  const lines = ['patient_id,sex,diagnosis,age,hba1c,systolic_bp'];
  for (let i = 1; i <= n; i++) {
    const age = 25 + Math.floor(uniform() * 60);
    const hba1c = Math.round((4.5 + uniform() * 6.5) * 10) / 10;
    const logit = -1 + 0.04 * (age - 55) + 0.9 * (hba1c - 7);
    const diagnosis = uniform() < 1 / (1 + Math.exp(-logit)) ? 'E11' : 'Z00';
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const bp = Math.round(100 + 0.6 * age + 8 * normal);
    lines.push(`P${String(i).padStart(6, '0')},${i % 2 ? 'F' : 'M'},${diagnosis},${age},${hba1c},${bp}`);
  }
  return `${lines.join('\n')}\n`;
}
